/* test_snoopfilter.c - the snoop filter: exact holders through adds and
 * removes, and a table that starts small and grows with the lines cached
 * rather than being sized by the caches' capacity up front. */
#include <check.h>

#include "suites.h"
#include "machine/snoopfilter.h"

/* Line i of the test: 64-byte lines spread over the address space. */
static uint64_t line_addr(unsigned i)
{
	return (uint64_t)i * 0x10040u;
}

START_TEST(test_holders_exact)
{
	SnoopFilter *sf = sf_new(4, 6);
	sf_add(sf, 0x1000, 0);
	sf_add(sf, 0x1000, 5);
	sf_add(sf, 0x2000, 63);
	ck_assert_uint_eq(sf_holders(sf, 0x1000), (UINT64_C(1) << 5) | 1);
	ck_assert_uint_eq(sf_holders(sf, 0x2000), UINT64_C(1) << 63);
	ck_assert_uint_eq(sf_holders(sf, 0x3000), 0);
	sf_remove(sf, 0x1000, 0);
	ck_assert_uint_eq(sf_holders(sf, 0x1000), UINT64_C(1) << 5);
	sf_remove(sf, 0x1000, 5);
	ck_assert_uint_eq(sf_holders(sf, 0x1000), 0);
	ck_assert_uint_eq(sf_holders(sf, 0x2000), UINT64_C(1) << 63);
	sf_free(sf);
}
END_TEST

/* A filter told of 1 line (16 slots) takes 10,000 lines: it doubles its
 * table ten times over and loses nobody on the way. */
START_TEST(test_grows_past_its_start)
{
	SnoopFilter *sf = sf_new(1, 6);
	for (unsigned i = 0; i < 10000; i++) {
		sf_add(sf, line_addr(i), i % 64);
		if (i % 3 == 0)
			sf_add(sf, line_addr(i), 63 - i % 64);
	}
	for (unsigned i = 0; i < 10000; i++) {
		uint64_t want = UINT64_C(1) << (i % 64);
		if (i % 3 == 0)
			want |= UINT64_C(1) << (63 - i % 64);
		ck_assert_uint_eq(sf_holders(sf, line_addr(i)), want);
	}
	/* Every even line leaves; the backward shift keeps the odd ones. */
	for (unsigned i = 0; i < 10000; i += 2) {
		sf_remove(sf, line_addr(i), i % 64);
		if (i % 3 == 0 && 63 - i % 64 != i % 64)
			sf_remove(sf, line_addr(i), 63 - i % 64);
	}
	for (unsigned i = 0; i < 10000; i++) {
		uint64_t want = i % 2 ? UINT64_C(1) << (i % 64) : 0;
		if (i % 2 && i % 3 == 0)
			want |= UINT64_C(1) << (63 - i % 64);
		ck_assert_uint_eq(sf_holders(sf, line_addr(i)), want);
	}
	sf_free(sf);
}
END_TEST

/* 64 cores of 1 GiB caches hold 2^30 lines between them: a filter sized
 * for that would be 32 GiB.  It starts at its cap and answers at once. */
START_TEST(test_huge_capacity_starts_small)
{
	SnoopFilter *sf = sf_new(UINT64_C(1) << 30, 6);
	sf_add(sf, 0x40, 3);
	ck_assert_uint_eq(sf_holders(sf, 0x40), UINT64_C(1) << 3);
	sf_free(sf);
}
END_TEST

Suite *suite_snoopfilter(void)
{
	Suite *s = suite_create("snoopfilter");
	TCase *tc = tcase_create("holders");
	tcase_add_test(tc, test_holders_exact);
	tcase_add_test(tc, test_grows_past_its_start);
	tcase_add_test(tc, test_huge_capacity_starts_small);
	suite_add_tcase(s, tc);
	return s;
}
