/* check_main.c - the one Check runner: runs every module's suite.
 * CK_RUN_SUITE=name runs a single suite, as Check itself allows. */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
	SRunner *sr = srunner_create(suite_workload());
	srunner_add_suite(sr, suite_config());
	srunner_add_suite(sr, suite_memory());
	srunner_add_suite(sr, suite_snoopfilter());
	srunner_add_suite(sr, suite_cache());
	srunner_add_suite(sr, suite_protocols());
	srunner_add_suite(sr, suite_checker());
	srunner_add_suite(sr, suite_verify());
	srunner_add_suite(sr, suite_stats());
	srunner_add_suite(sr, suite_kernel());
	srunner_add_suite(sr, suite_gen());
	srunner_add_suite(sr, suite_convert());
	srunner_add_suite(sr, suite_timing());
	srunner_add_suite(sr, suite_opstream());
	srunner_add_suite(sr, suite_sweep());
	srunner_add_suite(sr, suite_timeline());
	srunner_add_suite(sr, suite_compare());
	srunner_add_suite(sr, suite_core());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
