#!/bin/sh
# ferry under valgrind memcheck, for "make check VALGRIND=1": make writes
# this with the binary's path in place of @FERRY@ to tests/valgrind-ferry
# in the build tree, and the tests run that as $FERRY.
#
# Any memcheck error, or a definitely lost block at exit, is an error;
# with one, the process exits 99 and its report is in $FERRY_VG_DIR/vg.PID
# (integration/lib.sh makes that directory and fails the test when a file
# in it is not empty).  Without FERRY_VG_DIR the report goes to stderr.
# Children that ferry starts with EXEC or SYSTEM are not traced; children
# forked without exec (fork=) are, each to a file of its own.
log=--log-fd=2
[ -z "${FERRY_VG_DIR:-}" ] || log=--log-file=$FERRY_VG_DIR/vg.%p
exec valgrind -q --tool=memcheck --vgdb=no --error-exitcode=99 \
    --leak-check=full --show-leak-kinds=definite \
    --errors-for-leak-kinds=definite --track-origins=no \
    --num-callers=30 "$log" "@FERRY@" "$@"
