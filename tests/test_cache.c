/* test_cache.c - the cache array and exact LRU, as workload-format.md
 * states them: a fill takes the lowest-numbered invalid way, otherwise the
 * least recently used; hits and fills make a line most recently used. */
#include <check.h>

#include "suites.h"
#include "machine/cache.h"

/* 256 bytes, 2 ways, 64-byte lines: 2 sets; 0x0, 0x80, 0x100 share set 0. */
static int fill(Cache *c, uint64_t line_addr)
{
	int slot = cache_victim(c, line_addr);
	cache_set_tag(c, slot, line_addr);
	cache_set_state(c, slot, 1);
	cache_touch(c, slot);
	return slot;
}

START_TEST(test_geometry_and_lookup)
{
	Cache *c = cache_new(256, 2, 64);
	ck_assert_uint_eq(cache_n_slots(c), 4);
	ck_assert_uint_eq(cache_line_size(c), 64);
	ck_assert_int_eq(cache_lookup(c, 0x0), -1);
	int s0 = fill(c, 0x0);
	ck_assert_int_eq(s0, 0); /* set 0, way 0 */
	ck_assert_int_eq(fill(c, 0x40), 2); /* set 1, way 0 */
	ck_assert_int_eq(cache_lookup(c, 0x0), 0);
	ck_assert_int_eq(cache_lookup(c, 0x40), 2);
	/* A slot whose state is 0 is not found, even with a matching tag. */
	cache_set_state(c, 0, 0);
	ck_assert_int_eq(cache_lookup(c, 0x0), -1);
	cache_free(c);
}
END_TEST

START_TEST(test_lru_order)
{
	Cache *c = cache_new(256, 2, 64);
	ck_assert_int_eq(fill(c, 0x0), 0);
	ck_assert_int_eq(fill(c, 0x80), 1);
	/* Both ways valid: 0x0 is LRU. */
	ck_assert_int_eq(cache_victim(c, 0x100), 0);
	/* A hit on 0x0 makes 0x80 the LRU. */
	cache_touch(c, cache_lookup(c, 0x0));
	ck_assert_int_eq(cache_victim(c, 0x100), 1);
	ck_assert_int_eq(fill(c, 0x100), 1);
	ck_assert_int_eq(cache_lookup(c, 0x80), -1);
	/* An invalidated way is taken before the LRU one. */
	cache_set_state(c, 1, 0);
	ck_assert_int_eq(cache_victim(c, 0x180), 1);
	/* Lowest-numbered invalid way first. */
	cache_set_state(c, 0, 0);
	ck_assert_int_eq(cache_victim(c, 0x180), 0);
	cache_free(c);
}
END_TEST

START_TEST(test_data_per_slot)
{
	Cache *c = cache_new(1024, 4, 32);
	int a = fill(c, 0x20), b = fill(c, 0x120);
	ck_assert_int_ne(a, b);
	cache_data(c, a)[3] = 33;
	cache_data(c, b)[0] = 44;
	ck_assert_uint_eq(cache_data(c, a)[3], 33);
	ck_assert_uint_eq(cache_data(c, b)[0], 44);
	ck_assert_uint_eq(cache_data(c, a)[0], 0);
	ck_assert_uint_eq(cache_tag(c, b), 0x120);
	cache_free(c);
}
END_TEST

Suite *suite_cache(void)
{
	Suite *s = suite_create("cache");
	TCase *tc = tcase_create("array");
	tcase_add_test(tc, test_geometry_and_lookup);
	tcase_add_test(tc, test_lru_order);
	tcase_add_test(tc, test_data_per_slot);
	suite_add_tcase(s, tc);
	return s;
}
