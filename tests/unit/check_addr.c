#include "config.h"
#include <check.h>
#include <stdlib.h>
#include "addr.h"
START_TEST(test_placeholder) { ck_assert_int_eq(1, 1); }
END_TEST
int main(void) { Suite *s = suite_create("addr"); TCase *tc = tcase_create("x"); tcase_add_test(tc, test_placeholder); suite_add_tcase(s, tc); SRunner *sr = srunner_create(s); srunner_run_all(sr, CK_NORMAL); int nf = srunner_ntests_failed(sr); srunner_free(sr); return nf ? 1 : 0; }
