/* test_timeline.c - the timeline of a timing run (timeline.h): bus busy
 * periods split across buckets, buckets merging as the run grows, the free
 * page level carried forward, and per-line traffic counted from real
 * accesses on a machine, hottest line first. */
#include <check.h>
#include <string.h>
#include <glib/gstdio.h>

#include "suites.h"
#include "testutil.h"
#include "input/config.h"
#include "machine/machine.h"
#include "report/timeline.h"

/* Writes tl (to path, as created) and returns its rows of block b (0 or
 * 1), comments left out. */
static GPtrArray *block_rows(const Timeline *tl, const char *path, uint64_t end, int b)
{
	g_autoptr(GError) err = NULL;
	ck_assert_msg(timeline_write(tl, end, &err), "%s", err ? err->message : "");
	g_autofree char *text = NULL;
	ck_assert(g_file_get_contents(path, &text, NULL, NULL));
	char *blocks = strstr(text, "\n\n\n");
	ck_assert(blocks);
	*blocks = '\0';
	const char *part = b == 0 ? text : blocks + 3;
	GPtrArray *rows = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) lines = g_strsplit(part, "\n", -1);
	for (char **l = lines; *l; l++)
		if (**l && **l != '#')
			g_ptr_array_add(rows, g_strdup(*l));
	return rows;
}

START_TEST(test_bus_busy_buckets)
{
	static const struct {
		uint64_t from, to;
	} busy[] = { { 0, 3 }, { 8, 25 }, { 30, 32 } };
	/* Buckets of 10 cycles; the run ends at 35. */
	static const char *const expected[] = {
		"0\t5\t0.5000\t0\t0\t",
		"10\t10\t1.0000\t0\t0\t",
		"20\t5\t0.5000\t0\t0\t",
		"30\t2\t0.4000\t0\t0\t",
	};
	g_autofree char *path = tu_write_temp("", ".tsv");
	g_autoptr(Timeline) tl = timeline_new(path, 2, 10);
	for (gsize k = 0; k < G_N_ELEMENTS(busy); k++)
		timeline_bus_busy(tl, busy[k].from, busy[k].to);
	g_autoptr(GError) err = NULL;
	ck_assert(timeline_write(tl, 35, &err));
	g_autofree char *text = NULL;
	ck_assert(g_file_get_contents(path, &text, NULL, NULL));
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	gsize row = 0;
	for (char **l = lines; *l && **l; l++) {
		if (**l == '#')
			continue;
		ck_assert_uint_lt(row, G_N_ELEMENTS(expected));
		ck_assert_str_eq(*l, expected[row]);
		row++;
	}
	ck_assert_uint_eq(row, G_N_ELEMENTS(expected));
}
END_TEST

/* Past TIMELINE_MAX_BUCKETS buckets the width doubles and counts add up. */
START_TEST(test_buckets_merge)
{
	g_autofree char *path = tu_write_temp("", ".tsv");
	g_autoptr(Timeline) tl = timeline_new(path, 1, 1);
	timeline_free_pages(tl, 0, 100);
	timeline_free_pages(tl, 1, 90);
	timeline_free_pages(tl, 3, 95);
	timeline_bus_busy(tl, 0, 4);
	ck_assert_uint_eq(timeline_bucket_cycles(tl), 1);
	timeline_bus_busy(tl, 8 * TIMELINE_MAX_BUCKETS - 1, 8 * TIMELINE_MAX_BUCKETS);
	ck_assert_uint_eq(timeline_bucket_cycles(tl), 8);
	g_autoptr(GPtrArray) rows = block_rows(tl, path, 8 * TIMELINE_MAX_BUCKETS, 0);
	ck_assert_uint_eq(rows->len, TIMELINE_MAX_BUCKETS);
	/* Bucket 0 (cycles 0..7): 4 busy cycles, the lowest free level 90;
	 * bucket 1 carries the last level, 95, forward. */
	ck_assert_str_eq(g_ptr_array_index(rows, 0), "0\t4\t0.5000\t0\t0\t90");
	ck_assert_str_eq(g_ptr_array_index(rows, 1), "8\t0\t0.0000\t0\t0\t95");
	ck_assert_str_eq(g_ptr_array_index(rows, rows->len - 1),
			 "8184\t1\t0.1250\t0\t0\t95");
}
END_TEST

/* The free page column stays empty until the allocator reports. */
START_TEST(test_free_pages_unknown)
{
	g_autofree char *path = tu_write_temp("", ".tsv");
	g_autoptr(Timeline) tl = timeline_new(path, 1, 10);
	timeline_free_pages(tl, 15, 7);
	g_autoptr(GPtrArray) rows = block_rows(tl, path, 30, 0);
	ck_assert_uint_eq(rows->len, 3);
	ck_assert_str_eq(g_ptr_array_index(rows, 0), "0\t0\t0.0000\t0\t0\t");
	ck_assert_str_eq(g_ptr_array_index(rows, 1), "10\t0\t0.0000\t0\t0\t7");
	ck_assert_str_eq(g_ptr_array_index(rows, 2), "20\t0\t0.0000\t0\t0\t7");
}
END_TEST

/* MESI, 2 cores, through the observer: 0x1000 is written by both cores
 * (the hotter line), 0x2000 read by core 1 once. */
START_TEST(test_hot_lines_from_machine)
{
	static const struct {
		unsigned core;
		AccessKind kind;
		uint64_t addr, cycle;
	} accesses[] = {
		{ 0, ACC_STORE, 0x1000, 0 },  /* BusRdX */
		{ 1, ACC_LOAD, 0x1000, 5 },   /* BusRd, c2c */
		{ 1, ACC_STORE, 0x1000, 12 }, /* BusUpgr: core 0's copy invalidated */
		{ 1, ACC_LOAD, 0x2000, 14 },  /* BusRd */
		{ 1, ACC_LOAD, 0x2000, 15 },  /* hit: no traffic */
	};
	static const char *const expected[] = {
		"0\t0x1000\t0\t1\t1",
		"0\t0x1000\t1\t2\t0",
		"1\t0x2000\t0\t0\t0",
		"1\t0x2000\t1\t1\t0",
	};
	g_auto(Config) cfg = { 0 };
	config_init(&cfg);
	cfg.cores = 2;
	Machine *m = machine_new(&cfg, proto_lookup("mesi"), 2);
	RunResult res;
	run_result_init(&res, 2);
	g_autofree char *path = tu_write_temp("", ".tsv");
	g_autoptr(Timeline) tl = timeline_new(path, 2, 10);
	timeline_attach(tl, m, &res);
	for (gsize k = 0; k < G_N_ELEMENTS(accesses); k++) {
		res.where[accesses[k].core].cycle = accesses[k].cycle;
		machine_access(m, accesses[k].core, accesses[k].kind, accesses[k].addr, 1, 0);
	}
	g_autoptr(GPtrArray) hot = block_rows(tl, path, 20, 1);
	ck_assert_uint_eq(hot->len, G_N_ELEMENTS(expected));
	for (gsize k = 0; k < G_N_ELEMENTS(expected); k++)
		ck_assert_str_eq(g_ptr_array_index(hot, k), expected[k]);
	/* Per bucket: 2 transactions in cycles 0..9, 2 and the invalidation
	 * in 10..19. */
	g_autoptr(GPtrArray) rows = block_rows(tl, path, 20, 0);
	ck_assert_str_eq(g_ptr_array_index(rows, 0), "0\t0\t0.0000\t2\t0\t");
	ck_assert_str_eq(g_ptr_array_index(rows, 1), "10\t0\t0.0000\t2\t1\t");
	run_result_clear(&res);
	machine_free(m);
}
END_TEST

Suite *suite_timeline(void)
{
	Suite *s = suite_create("timeline");
	TCase *tc = tcase_create("timeline");
	tcase_add_test(tc, test_bus_busy_buckets);
	tcase_add_test(tc, test_buckets_merge);
	tcase_add_test(tc, test_free_pages_unknown);
	tcase_add_test(tc, test_hot_lines_from_machine);
	suite_add_tcase(s, tc);
	return s;
}
