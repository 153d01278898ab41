/* test_opstream.c - per-core streams from one pass: every core gets exactly
 * its own operations in file order, however far apart the cores are read,
 * with the overflow spilled to disk and read back. */
#include <check.h>

#include "suites.h"
#include "testutil.h"
#include "engine/opstream.h"

/* n_cores cores, per_core ops each; layout 0: interleaved line by line,
 * 1: all of core 0, then all of core 1, ...  Core c's k-th store writes
 * c * 1000000 + k, so a test can tell every operation apart. */
static WlFile *make_workload(unsigned n_cores, unsigned per_core, int grouped)
{
	GString *text = g_string_new("%labyrinth-workload 1\n");
	g_string_append_printf(text, "%%cores %u\n", n_cores);
	for (unsigned i = 0; i < n_cores * per_core; i++) {
		unsigned c = grouped ? i / per_core : i % n_cores;
		unsigned k = grouped ? i % per_core : i / n_cores;
		g_string_append_printf(text, "%u st 0x%x %u\n", c, 0x1000 + 8 * (k % 64),
				       c * 1000000 + k);
	}
	char *path = tu_write_temp(text->str, ".wl");
	g_string_free(text, TRUE);
	GError *err = NULL;
	WlFile *wl = wl_open(path, &err);
	g_free(path);
	ck_assert_ptr_nonnull(wl);
	WlInfo info;
	ck_assert(wl_validate(wl, NULL, &info, &err));
	wl_info_clear(&info);
	return wl;
}

static void expect_next(OpStreams *s, unsigned core, unsigned k)
{
	WlOp op;
	GError *err = NULL;
	ck_assert_int_eq(opstreams_next(s, core, &op, &err), 1);
	ck_assert_uint_eq(op.core, core);
	ck_assert_uint_eq(op.value, core * 1000000 + k);
}

START_TEST(test_grouped_layout_spills)
{
	/* Reading core 1 first queues all 5000 of core 0's operations. */
	WlFile *wl = make_workload(2, 5000, 1);
	GError *err = NULL;
	OpStreams *s = opstreams_new(wl, 2, &err);
	for (unsigned k = 0; k < 5000; k++)
		expect_next(s, 1, k);
	ck_assert_uint_eq(opstreams_spilled(s), 5000 - OPSTREAM_RING);
	for (unsigned k = 0; k < 5000; k++)
		expect_next(s, 0, k);
	WlOp op;
	ck_assert_int_eq(opstreams_next(s, 0, &op, &err), 0);
	ck_assert_int_eq(opstreams_next(s, 1, &op, &err), 0);
	opstreams_free(s);
	wl_free(wl);
}
END_TEST

START_TEST(test_uneven_reading)
{
	/* Four interleaved cores read at different speeds, in bursts that
	 * drain and refill the spill files many times. */
	WlFile *wl = make_workload(4, 6000, 0);
	GError *err = NULL;
	OpStreams *s = opstreams_new(wl, 4, &err);
	unsigned next[4] = { 0 };
	GRand *rng = g_rand_new_with_seed(7);
	while (next[0] + next[1] + next[2] + next[3] < 4 * 6000) {
		unsigned c = (unsigned)g_rand_int_range(rng, 0, 4);
		unsigned burst = (unsigned)g_rand_int_range(rng, 1, c == 3 ? 3000 : 40);
		for (unsigned i = 0; i < burst && next[c] < 6000; i++)
			expect_next(s, c, next[c]++);
	}
	ck_assert_uint_gt(opstreams_spilled(s), 0);
	g_rand_free(rng);
	opstreams_free(s);
	wl_free(wl);
}
END_TEST

START_TEST(test_lockstep_never_spills)
{
	WlFile *wl = make_workload(8, 500, 0);
	GError *err = NULL;
	OpStreams *s = opstreams_new(wl, 8, &err);
	for (unsigned k = 0; k < 500; k++)
		for (unsigned c = 0; c < 8; c++)
			expect_next(s, c, k);
	ck_assert_uint_eq(opstreams_spilled(s), 0);
	opstreams_free(s);
	wl_free(wl);
}
END_TEST

Suite *suite_opstream(void)
{
	Suite *s = suite_create("opstream");
	TCase *tc = tcase_create("queues");
	tcase_add_test(tc, test_grouped_layout_spills);
	tcase_add_test(tc, test_uneven_reading);
	tcase_add_test(tc, test_lockstep_never_spills);
	suite_add_tcase(s, tc);
	return s;
}
