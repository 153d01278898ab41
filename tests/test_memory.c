/* test_memory.c - sparse memory: zero until written, words and lines, the
 * far ends of the 48-bit space, and that reads allocate nothing. */
#include <check.h>

#include "suites.h"
#include "machine/memory.h"

START_TEST(test_untouched_reads_zero)
{
	Memory *mem = mem_new(UINT64_C(1) << 48);
	ck_assert_uint_eq(mem_read_word(mem, 0), 0);
	ck_assert_uint_eq(mem_read_word(mem, (UINT64_C(1) << 48) - 8), 0);
	uint64_t line[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	mem_read_line(mem, 0x4000, line, 8);
	for (int i = 0; i < 8; i++)
		ck_assert_uint_eq(line[i], 0);
	ck_assert_uint_eq(mem_pages_touched(mem), 0);
	mem_free(mem);
}
END_TEST

START_TEST(test_words_and_lines)
{
	Memory *mem = mem_new(UINT64_C(1) << 48);
	uint64_t top = (UINT64_C(1) << 48) - 8;
	mem_write_word(mem, top, 0xdeadbeef);
	mem_write_word(mem, 0x1008, 7);
	ck_assert_uint_eq(mem_read_word(mem, top), 0xdeadbeef);
	ck_assert_uint_eq(mem_read_word(mem, 0x1008), 7);
	ck_assert_uint_eq(mem_read_word(mem, 0x1000), 0);
	ck_assert_uint_eq(mem_pages_touched(mem), 2);

	uint64_t src[8] = { 10, 11, 12, 13, 14, 15, 16, 17 }, dst[8];
	mem_write_line(mem, 0x1040, src, 8);
	mem_read_line(mem, 0x1040, dst, 8);
	for (int i = 0; i < 8; i++)
		ck_assert_uint_eq(dst[i], 10 + i);
	ck_assert_uint_eq(mem_read_word(mem, 0x1078), 17);
	ck_assert_uint_eq(mem_read_word(mem, 0x1080), 0);
	ck_assert_uint_eq(mem_pages_touched(mem), 2); /* same page as 0x1008 */
	/* Addresses that differ only above bit 36 land in different pages. */
	mem_write_word(mem, UINT64_C(1) << 40, 1);
	ck_assert_uint_eq(mem_read_word(mem, 0), 0);
	ck_assert_uint_eq(mem_read_word(mem, UINT64_C(1) << 40), 1);
	mem_free(mem);
}
END_TEST

Suite *suite_memory(void)
{
	Suite *s = suite_create("memory");
	TCase *tc = tcase_create("sparse");
	tcase_add_test(tc, test_untouched_reads_zero);
	tcase_add_test(tc, test_words_and_lines);
	suite_add_tcase(s, tc);
	return s;
}
