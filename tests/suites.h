/* suites.h - every Check suite of the unit-test runner, one per module. */
#ifndef LABYRINTH_TEST_SUITES_H
#define LABYRINTH_TEST_SUITES_H

#include <check.h>

Suite *suite_workload(void);
Suite *suite_config(void);
Suite *suite_memory(void);
Suite *suite_snoopfilter(void);
Suite *suite_cache(void);
Suite *suite_protocols(void);
Suite *suite_checker(void);
Suite *suite_verify(void);
Suite *suite_stats(void);
Suite *suite_kernel(void);
Suite *suite_gen(void);
Suite *suite_convert(void);
Suite *suite_timing(void);
Suite *suite_opstream(void);
Suite *suite_sweep(void);
Suite *suite_timeline(void);
Suite *suite_compare(void);
Suite *suite_core(void);

#endif
