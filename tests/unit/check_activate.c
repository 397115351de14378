/*
 * Unit tests of socket activation's bookkeeping (src/activate.c): which
 * fd a name gives, LISTEN_PID, malformed variables, and that the
 * variables leave the environment whatever they said.  The fds are not
 * used here (the integration test systemd_activate.sh passes real ones).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "activate.h"

static char	*err;

static void
setup(void)
{
	err = NULL;
}

static void
teardown(void)
{
	free(err);
	err = NULL;
}

/* Set the three variables (NULL: unset), LISTEN_PID "self" for ours. */
static void
env(const char *pid, const char *fds, const char *names)
{
	char	buf[32];

	if (pid != NULL && strcmp(pid, "self") == 0) {
		snprintf(buf, sizeof buf, "%ld", (long)getpid());
		pid = buf;
	}
	if (pid != NULL)
		setenv("LISTEN_PID", pid, 1);
	else
		unsetenv("LISTEN_PID");
	if (fds != NULL)
		setenv("LISTEN_FDS", fds, 1);
	else
		unsetenv("LISTEN_FDS");
	if (names != NULL)
		setenv("LISTEN_FDNAMES", names, 1);
	else
		unsetenv("LISTEN_FDNAMES");
	activate_init();
	ck_assert_ptr_null(getenv("LISTEN_PID"));
	ck_assert_ptr_null(getenv("LISTEN_FDS"));
	ck_assert_ptr_null(getenv("LISTEN_FDNAMES"));
}

/* activate_fd(name) fails with a message containing want. */
static void
fails(const char *name, const char *want)
{
	free(err);
	err = NULL;
	ck_assert_int_eq(activate_fd(name, &err), -1);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strstr(err, want) != NULL, "'%s' lacks '%s'", err,
	    want);
	ck_assert_ptr_null(strchr(err, '\n'));
}

START_TEST(test_by_name)
{
	env("self", "3", "admin:web:metrics");
	ck_assert_int_eq(activate_fd(NULL, &err), 3);
	ck_assert_int_eq(activate_fd("admin", &err), 3);
	ck_assert_int_eq(activate_fd("web", &err), 4);
	ck_assert_int_eq(activate_fd("metrics", &err), 5);
	ck_assert_ptr_null(err);
	fails("api", "no socket named 'api' among the 3 passed");
	fails("", "no socket named ''");
}
END_TEST

START_TEST(test_no_names)
{
	env("self", "1", NULL);
	ck_assert_int_eq(activate_fd(NULL, &err), 3);
	fails("web", "no socket named 'web' among the 1 passed");
}
END_TEST

/* Not one name per fd: the names are ignored, the fds are not. */
START_TEST(test_names_mismatch)
{
	env("self", "2", "web");
	ck_assert_int_eq(activate_fd(NULL, &err), 3);
	fails("web", "no socket named 'web'");
	env("self", "1", "web:admin");
	fails("web", "no socket named 'web'");
}
END_TEST

START_TEST(test_other_pid)
{
	env("1", "1", "web");
	fails(NULL, "are for another process (LISTEN_PID is 1, this is ");
	fails("web", "another process");
	env(NULL, "1", NULL);
	fails(NULL, "LISTEN_PID is unset");
	env("self", "1", NULL);
	ck_assert_int_eq(activate_fd(NULL, &err), 3);
	env("1x", "1", NULL);
	fails(NULL, "another process");
}
END_TEST

START_TEST(test_nothing_passed)
{
	env(NULL, NULL, NULL);
	fails(NULL, "no sockets passed (LISTEN_FDS is not set");
	env("self", "0", NULL);
	fails(NULL, "no sockets passed");
	env("self", "x", NULL);
	fails(NULL, "no sockets passed");
	env("self", "-1", NULL);
	fails(NULL, "no sockets passed");
	env("self", "99999999999999999999", NULL);
	fails(NULL, "no sockets passed");
}
END_TEST

static Suite *
activate_suite(void)
{
	Suite	*s = suite_create("activate");
	TCase	*tc = tcase_create("env");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_by_name);
	tcase_add_test(tc, test_no_names);
	tcase_add_test(tc, test_names_mismatch);
	tcase_add_test(tc, test_other_pid);
	tcase_add_test(tc, test_nothing_passed);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(activate_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
