/* test_compare.c - comparing runs and traces, and the tools that produce
 * what is compared: the event trace (events.c), the contention report
 * (hotlines.c), the statistics table and the trace walk (compare.c).
 * Expected values are worked out by hand from docs/protocols.md and the
 * golden traces of tests/golden/ (derived in docs/events.md's example). */
#include <check.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "testutil.h"
#include "input/config.h"
#include "input/workload.h"
#include "machine/machine.h"
#include "report/events.h"
#include "report/hotlines.h"
#include "tools/compare.h"

/* ---- the statistics table ---- */

#define RUN_HEAD "{\"schema\":1,\"labyrinth_version\":\"0.1.0\",\"workload\":{\"path\":\"w.wl\"},"
static const char run_a[] =
	RUN_HEAD "\"config\":{\"protocol\":\"mesi\",\"cache\":{\"size\":32768}},\"cycles\":100,"
	"\"cores\":[{\"id\":0,\"cycles\":100},{\"id\":1,\"cycles\":90}],"
	"\"bus\":{\"BusRd\":4,\"utilization\":0.5},\"transitions\":{\"I\":{\"Load\":3}}}";
static const char run_b[] =
	RUN_HEAD "\"config\":{\"protocol\":\"moesi\",\"cache\":{\"size\":32768}},\"cycles\":80,"
	"\"cores\":[{\"id\":0,\"cycles\":80},{\"id\":1,\"cycles\":90}],"
	"\"bus\":{\"BusRd\":0,\"utilization\":0.25,\"BusUpd\":2},"
	"\"transitions\":{\"O\":{\"Load\":1}}}";

static GPtrArray *two_runs(void)
{
	GPtrArray *runs = g_ptr_array_new_with_free_func((GDestroyNotify)compare_run_free);
	const char *texts[] = { run_a, run_b }, *labels[] = { "A", "B" };
	for (int i = 0; i < 2; i++) {
		g_autoptr(JsonNode) root = json_from_string(texts[i], NULL);
		ck_assert_ptr_nonnull(root);
		g_ptr_array_add(runs, compare_run_new(labels[i], root));
	}
	return runs;
}

START_TEST(test_rows)
{
	g_autoptr(GPtrArray) runs = two_runs();
	/* Settings only where they differ; the transitions never; rows in
	 * order of first appearance, BusUpd (only in B) last. */
	static const struct {
		const char *name;
		gboolean equal;
		gint64 a, b; /* -1: absent; strings and doubles checked below */
	} want[] = {
		{ "config.protocol", FALSE, 0, 0 }, { "cycles", FALSE, 100, 80 },
		{ "cores[0].cycles", FALSE, 100, 80 }, { "cores[1].cycles", TRUE, 90, 90 },
		{ "bus.BusRd", FALSE, 4, 0 },       { "bus.utilization", FALSE, 0, 0 },
		{ "bus.BusUpd", FALSE, -1, 2 },
	};
	g_autoptr(GPtrArray) rows = compare_rows(runs, FALSE);
	ck_assert_uint_eq(rows->len, G_N_ELEMENTS(want));
	for (guint i = 0; i < rows->len; i++) {
		const CompareRow *r = rows->pdata[i];
		ck_assert_str_eq(r->name, want[i].name);
		ck_assert_int_eq(r->equal, want[i].equal);
		if (i == 0) {
			ck_assert(r->setting);
			ck_assert_str_eq(r->values[0].s, "mesi");
			ck_assert_str_eq(r->values[1].s, "moesi");
		} else if (i == 5) {
			ck_assert_int_eq(r->values[0].kind, CMP_DOUBLE);
			ck_assert(r->values[1].d == 0.25);
		} else {
			ck_assert(!r->setting);
			if (want[i].a < 0)
				ck_assert_int_eq(r->values[0].kind, CMP_NONE);
			else
				ck_assert_int_eq(r->values[0].i, want[i].a);
			ck_assert_int_eq(r->values[1].i, want[i].b);
		}
	}
	g_autoptr(GPtrArray) diff = compare_rows(runs, TRUE);
	ck_assert_uint_eq(diff->len, G_N_ELEMENTS(want) - 1);
	ck_assert_str_eq(((CompareRow *)diff->pdata[3])->name, "bus.BusRd");
}
END_TEST

/* Column widths by hand: names 15, A's values 4 ("mesi"), B's 5
 * ("moesi"), B's ratios 5 ("0.80x"); trailing blanks trimmed. */
START_TEST(test_table_text)
{
	g_autoptr(GPtrArray) runs = two_runs();
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	compare_print_table(runs, TRUE, out);
	fclose(out);
	ck_assert_str_eq(buf, "statistic           A      B\n"
			      "config.protocol  mesi  moesi\n"
			      "cycles            100     80 0.80x\n"
			      "cores[0].cycles   100     80 0.80x\n"
			      "bus.BusRd           4      0 0.00x\n"
			      "bus.utilization   0.5   0.25 0.50x\n"
			      "bus.BusUpd        n/a      2 -\n");
	free(buf);
}
END_TEST

START_TEST(test_identical_runs)
{
	g_autoptr(GPtrArray) runs =
		g_ptr_array_new_with_free_func((GDestroyNotify)compare_run_free);
	g_autoptr(JsonNode) root = json_from_string(run_a, NULL);
	g_ptr_array_add(runs, compare_run_new("x", root));
	g_ptr_array_add(runs, compare_run_new("y", root));
	g_autoptr(GPtrArray) rows = compare_rows(runs, TRUE);
	ck_assert_uint_eq(rows->len, 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	compare_print_table(runs, TRUE, out);
	fclose(out);
	ck_assert_str_eq(buf, "statistic  x  y\n(no statistic differs)\n");
	free(buf);
}
END_TEST

START_TEST(test_load_stats)
{
	g_autoptr(GPtrArray) runs =
		g_ptr_array_new_with_free_func((GDestroyNotify)compare_run_free);
	g_autofree char *one = tu_write_temp(run_a, ".json");
	g_autofree char *keyed_text = g_strdup_printf("{\"mesi\":%s,\"moesi\":%s}", run_a, run_b);
	g_autofree char *keyed = tu_write_temp(keyed_text, ".json");
	GError *err = NULL;
	ck_assert(compare_load_stats(one, runs, &err));
	ck_assert(compare_load_stats(keyed, runs, &err));
	ck_assert_uint_eq(runs->len, 3);
	g_autofree char *label = g_strdup_printf("%s:moesi", keyed);
	ck_assert_str_eq(((CompareRun *)runs->pdata[2])->label, label);

	g_autofree char *not_stats = tu_write_temp("{\"a\":1}", ".json");
	ck_assert(!compare_load_stats(not_stats, runs, &err));
	ck_assert(g_error_matches(err, COMPARE_ERROR, COMPARE_ERROR_FORMAT));
	ck_assert_ptr_nonnull(strstr(err->message, "no \"schema\""));
	g_clear_error(&err);
	g_autofree char *broken = tu_write_temp("{\"schema\":", ".json");
	ck_assert(!compare_load_stats(broken, runs, &err));
	ck_assert_ptr_nonnull(strstr(err->message, "not JSON"));
	g_clear_error(&err);
	ck_assert(!compare_load_stats("/nonexistent/x.json", runs, &err));
	ck_assert(g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT));
	g_clear_error(&err);
	ck_assert_uint_eq(runs->len, 3);
}
END_TEST

/* ---- event traces ---- */

static char *golden(const char *name)
{
	const char *top = g_getenv("top_srcdir");
	return g_build_filename(top ? top : ".", "tests", "golden", name, NULL);
}

/* MESI against MSI on tests/golden/basic.wl (both traces derived by hand
 * in docs/events.md).  Core 0's store (op 1) hits E in MESI but upgrades
 * in MSI; core 1's load (op 0) is supplied by c0 in MESI, by memory in
 * MSI; core 1's store (op 2) upgrades in MESI, misses in MSI.  Both first
 * differences are at cycle 107 in A: the lower core wins. */
START_TEST(test_events_mesi_msi)
{
	g_autofree char *a = golden("basic.mesi.tsv"), *b = golden("basic.msi.tsv");
	CompareEvents res;
	GError *err = NULL;
	ck_assert_msg(compare_events(a, b, &res, &err), "%s", err ? err->message : "");
	ck_assert_str_eq(res.protocol[0], "mesi");
	ck_assert_str_eq(res.protocol[1], "msi");
	ck_assert_str_eq(res.workload[0], "tests/golden/basic.wl");
	ck_assert_uint_eq(res.events[0], 7);
	ck_assert_uint_eq(res.events[1], 7);
	ck_assert_uint_eq(res.operations, 7);
	ck_assert_uint_eq(res.differing, 3);
	ck_assert(res.diverged);
	ck_assert_uint_eq(res.core, 0);
	ck_assert_uint_eq(res.op_index, 1);
	ck_assert_uint_eq(res.wl_line, 6);
	ck_assert_str_eq(res.op, "st");
	ck_assert_uint_eq(res.cycle[0], 107);
	ck_assert_uint_eq(res.cycle[1], 213);
	ck_assert_str_eq(res.what[0], "no bus");
	ck_assert_str_eq(res.what[1], "BusUpgr, invalidates c1");
	ck_assert_uint_eq(res.first_per_core->len, 2);
	const CompareOpRef *c1 = &g_array_index(res.first_per_core, CompareOpRef, 1);
	ck_assert_uint_eq(c1->core, 1);
	ck_assert_uint_eq(c1->op_index, 0);
	ck_assert_uint_eq(c1->wl_line, 5);
	/* Only 0x1000 differs: MESI BusRd, BusRd, BusUpgr (1 invalidation, 1
	 * transfer); MSI BusRd, BusRd, BusUpgr, BusRdX (2, 1).  0x2040 has a
	 * BusRdX and its write-back in both. */
	ck_assert_uint_eq(res.lines->len, 1);
	const CompareLineDiff *d = &g_array_index(res.lines, CompareLineDiff, 0);
	ck_assert_uint_eq(d->line, 0x1000);
	ck_assert_uint_eq(d->txns[0], 3);
	ck_assert_uint_eq(d->txns[1], 4);
	ck_assert_uint_eq(d->invalidations[0], 1);
	ck_assert_uint_eq(d->invalidations[1], 2);
	ck_assert_uint_eq(d->transfers[0], 1);
	ck_assert_uint_eq(d->transfers[1], 1);

	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	compare_events_print(&res, 10, out);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(buf,
				     "first divergence: core 0, operation 1 (workload line 6), st\n"
				     "  A at cycle 107: no bus\n"
				     "  B at cycle 213: BusUpgr, invalidates c1\n"));
	ck_assert_ptr_nonnull(strstr(buf, "3 of 7 operations differ"));
	ck_assert_ptr_nonnull(
		strstr(buf, "0x1000                           3 / 4               1 / 2"));
	free(buf);
	compare_events_clear(&res);
}
END_TEST

/* A trace against itself, and against a gzipped copy of itself. */
START_TEST(test_events_identical)
{
	g_autofree char *a = golden("basic.dragon.tsv");
	g_autofree char *text = NULL;
	ck_assert(g_file_get_contents(a, &text, NULL, NULL));
	g_autofree char *gz = tu_write_temp_gz(text, ".tsv.gz");
	CompareEvents res;
	GError *err = NULL;
	ck_assert_msg(compare_events(a, gz, &res, &err), "%s", err ? err->message : "");
	ck_assert(!res.diverged);
	ck_assert_uint_eq(res.differing, 0);
	ck_assert_uint_eq(res.operations, 7);
	ck_assert_uint_eq(res.lines->len, 0);
	compare_events_clear(&res);
}
END_TEST

/* State names are not compared: MESI's M>S and MOESI's M>O downgrade
 * look the same (BusRd from c0, nobody invalidated).  One event of core
 * 1 changes its source: exactly that operation and line differ. */
START_TEST(test_events_rule)
{
	const char *head = "# labyrinth-events 1 protocol=%s mode=functional cores=2 line=64 "
			   "workload=x.wl\n" EVENTS_HEADER "\n";
	g_autofree char *ha = g_strdup_printf(head, "mesi"), *hb = g_strdup_printf(head, "moesi");
	g_autofree char *ta =
		g_strconcat(ha,
			    "0\t0\t0\t2\tst\tst\t0x40\t0x40\tBusRdX\tmemory\tc0:I>M\n"
			    "1\t1\t0\t3\tld\tld\t0x40\t0x40\tBusRd\tc0\tc0:M>S c1:I>S\n"
			    "2\t1\t1\t4\tld\tld\t0x80\t0x80\tBusRd\tmemory\tc1:I>E\n",
			    NULL);
	g_autofree char *tb =
		g_strconcat(hb,
			    "0\t0\t0\t2\tst\tst\t0x40\t0x40\tBusRdX\tmemory\tc0:I>M\n"
			    "1\t1\t0\t3\tld\tld\t0x40\t0x40\tBusRd\tc0\tc0:M>O c1:I>S\n"
			    "2\t1\t1\t4\tld\tld\t0x80\t0x80\tBusRd\tc0\tc1:I>S\n",
			    NULL);
	g_autofree char *a = tu_write_temp(ta, ".tsv"), *b = tu_write_temp(tb, ".tsv");
	CompareEvents res;
	GError *err = NULL;
	ck_assert_msg(compare_events(a, b, &res, &err), "%s", err ? err->message : "");
	ck_assert_uint_eq(res.differing, 1);
	ck_assert_uint_eq(res.core, 1);
	ck_assert_uint_eq(res.op_index, 1);
	ck_assert_uint_eq(res.wl_line, 4);
	ck_assert_str_eq(res.what[0], "BusRd from memory");
	ck_assert_str_eq(res.what[1], "BusRd from c0");
	ck_assert_uint_eq(res.lines->len, 1);
	const CompareLineDiff *d = &g_array_index(res.lines, CompareLineDiff, 0);
	ck_assert_uint_eq(d->line, 0x80);
	ck_assert_uint_eq(d->transfers[0], 0);
	ck_assert_uint_eq(d->transfers[1], 1);
	compare_events_clear(&res);
}
END_TEST

#define TRACE_HEAD                                                                         \
	"# labyrinth-events 1 protocol=mesi mode=timing cores=1 line=64 workload=x\n" \
	EVENTS_HEADER "\n"

START_TEST(test_events_bad_input)
{
	static const struct {
		const char *text, *message;
	} rows[] = {
		{ "cycle\tcore\n", ":1: not a labyrinth event trace" },
		{ "# labyrinth-events 1 protocol=mesi mode=timing cores=2 workload=x\nbad header\n",
		  ":2: expected the header line" },
		{ "# labyrinth-events 1 protocol=mesi mode=timing workload=x\n",
		  ":1: the first line lacks" },
		{ TRACE_HEAD "0\t0\t0\t1\tld\tld\t0x0\t0x0\tBusRd\tmemory\n",
		  ":3: expected 11 tab-separated fields, found 10" },
		{ TRACE_HEAD "0\t3\t0\t1\tld\tld\t0x0\t0x0\tBusRd\tmemory\tc3:I>E\n",
		  ":3: core 3, but the trace has cores=1" },
		{ TRACE_HEAD "0\t0\t0\t1\tld\tld\t0x0\t0x0\tBusRd\tmemory\tI>E\n",
		  ":3: expected a state change cN:FROM>TO, found 'I>E'" },
	};
	g_autofree char *good = golden("basic.mesi.tsv");
	for (gsize i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *bad = tu_write_temp(rows[i].text, ".tsv");
		CompareEvents res;
		GError *err = NULL;
		ck_assert(!compare_events(good, bad, &res, &err));
		ck_assert_msg(strstr(err->message, rows[i].message), "row %zu: %s", i,
			      err->message);
		ck_assert(g_str_has_prefix(err->message, bad));
		g_clear_error(&err);
		compare_events_clear(&res);
	}
}
END_TEST

/* ---- the event trace itself ---- */

static Machine *small_machine(Config *cfg, const char *proto, unsigned line)
{
	config_init(cfg);
	cfg->cores = 2;
	cfg->line = line;
	return machine_new(cfg, proto_lookup(proto), 2);
}

static guint dir_entries(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	guint n = 0;
	while (g_dir_read_name(d))
		n++;
	return n;
}

/* A ld and a st by two cores under MESI, with the engine's where[]; the
 * file appears whole at commit and not before. */
START_TEST(test_trace_lines)
{
	g_autofree char *dir = g_dir_make_tmp("labyrinth-events-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "t.tsv", NULL);
	Config cfg;
	Machine *m = small_machine(&cfg, "mesi", 64);
	CoreWhere where[2] = { { 5, 0, 7, WL_OP_LD, NULL }, { 9, 3, 12, WL_OP_RMW, NULL } };
	GError *err = NULL;
	EventTrace *t = events_new(path, m, where, "w.wl", &cfg, &err);
	ck_assert_ptr_nonnull(t);
	machine_access(m, 0, ACC_LOAD, 0x1008, 0, 0);
	machine_access(m, 1, ACC_RMW_ADD, 0x1000, 1, 0);
	where[0].kstep = "lock";
	machine_claim_line(m, 0, 0x2000, 1);
	ck_assert_uint_eq(events_count(t), 3);
	ck_assert_uint_eq(dir_entries(dir), 0);
	ck_assert(events_commit(t, &err));
	g_autofree char *text = NULL;
	ck_assert(g_file_get_contents(path, &text, NULL, NULL));
	ck_assert_str_eq(
		text, "# labyrinth-events 1 protocol=mesi mode=timing cores=2 line=64 "
		  "workload=w.wl\n" EVENTS_HEADER "\n"
		  "5\t0\t0\t7\tld\tld\t0x1008\t0x1000\tBusRd\tmemory\tc0:I>E\n"
		  "9\t1\t3\t12\trmw\tadd\t0x1000\t0x1000\tBusRdX\tc0\tc0:E>I c1:I>M\n"
		  "5\t0\t0\t7\tkernel:lock\tclaim:zero\t0x2000\t0x2000\tBusInv\tnone\tc0:I>M\n");
	ck_assert_uint_eq(dir_entries(dir), 1);
	g_unlink(path);
	machine_free(m);
	config_clear(&cfg);
	g_rmdir(dir);
}
END_TEST

/* Where the engine has not said (line 0), the operation columns are "-";
 * a victim's change carries its line; .gz compresses; abandon leaves
 * nothing. */
START_TEST(test_trace_victim_gz_abandon)
{
	g_autofree char *dir = g_dir_make_tmp("labyrinth-events-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "t.tsv.gz", NULL);
	Config cfg;
	config_init(&cfg);
	cfg.cores = 1;
	cfg.cache_size = 64;
	cfg.assoc = 1;
	Machine *m = machine_new(&cfg, proto_lookup("msi"), 1);
	CoreWhere where[1] = { { 0 } };
	GError *err = NULL;
	EventTrace *t = events_new(path, m, where, "w.wl", &cfg, &err);
	machine_access(m, 0, ACC_STORE, 0x40, 1, 0);
	machine_access(m, 0, ACC_LOAD, 0x80, 0, 0);
	ck_assert(events_commit(t, &err));
	g_autoptr(GFile) file = g_file_new_for_path(path);
	g_autoptr(GInputStream) raw = G_INPUT_STREAM(g_file_read(file, NULL, &err));
	g_autoptr(GZlibDecompressor) z = g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP);
	g_autoptr(GInputStream) in = g_converter_input_stream_new(raw, G_CONVERTER(z));
	char buf[1024];
	gsize got;
	ck_assert(g_input_stream_read_all(in, buf, sizeof buf - 1, &got, NULL, &err));
	buf[got] = '\0';
	ck_assert_ptr_nonnull(strstr(buf,
				     "\n0\t0\t-\t-\t-\tst\t0x40\t0x40\tBusRdX\tmemory\tc0:I>M\n"
				     "0\t0\t-\t-\t-\tld\t0x80\t0x80\tFlush+BusRd\tmemory\t"
				     "c0:M>I@0x40 c0:I>S\n"));
	g_unlink(path);
	machine_free(m);

	/* The machine keeps its observers: a new trace needs a new machine. */
	m = machine_new(&cfg, proto_lookup("msi"), 1);
	EventTrace *t2 = events_new(path, m, where, "w.wl", &cfg, &err);
	machine_access(m, 0, ACC_LOAD, 0x80, 0, 0);
	events_abandon(t2);
	ck_assert_uint_eq(dir_entries(dir), 0);
	machine_free(m);
	config_clear(&cfg);
	g_rmdir(dir);
}
END_TEST

START_TEST(test_trace_unwritable)
{
	Config cfg;
	Machine *m = small_machine(&cfg, "mesi", 64);
	GError *err = NULL;
	ck_assert_ptr_null(events_new("/nonexistent/dir/t.tsv", m, NULL, "w.wl", &cfg, &err));
	ck_assert(err->domain == G_FILE_ERROR);
	ck_assert_ptr_nonnull(strstr(err->message, "/nonexistent/dir/t.tsv"));
	g_clear_error(&err);
	machine_free(m);
	config_clear(&cfg);
}
END_TEST

/* ---- the contention report ---- */

/* MESI, two cores, counted by hand:
 *  0x3000  c0 st w0, c1 st w1, c0 st w0, c1 st w1: a BusRdX each, the
 *          last three take the line from the other (3 inv, 3 xfer).
 *  0x4000  c0 and c1 rmw w0: 1 inv, 1 xfer.
 *  0x5000  c0 ld w0, c1 ld w1: c0's E supplies c1 (1 xfer).
 *  0x6000  the same as 0x4000 under CTX_KERNEL_META.
 *  0x7000  c0 alone: no traffic, not ranked.
 * Ranking by traffic: 0x3000 (6), 0x4000 (2), 0x6000 (2), 0x5000 (1). */
START_TEST(test_hot_lines)
{
	Config cfg;
	Machine *m = small_machine(&cfg, "mesi", 64);
	HotLines *h = hotlines_new(m);
	for (int i = 0; i < 2; i++) {
		machine_access(m, 0, ACC_STORE, 0x3000, 1, 0);
		machine_access(m, 1, ACC_STORE, 0x3008, 1, 0);
	}
	machine_access(m, 0, ACC_RMW_ADD, 0x4000, 1, 0);
	machine_access(m, 1, ACC_RMW_ADD, 0x4000, 1, 0);
	machine_access(m, 0, ACC_LOAD, 0x5000, 0, 0);
	machine_access(m, 1, ACC_LOAD, 0x5008, 0, 0);
	machine_set_context(m, CTX_KERNEL_META);
	machine_access(m, 0, ACC_STORE, 0x6000, 1, 0);
	machine_access(m, 1, ACC_STORE, 0x6000, 1, 0);
	machine_set_context(m, CTX_USER);
	machine_access(m, 0, ACC_LOAD, 0x7000, 0, 0);

	static const struct {
		uint64_t line, inv, xfer, txns;
		const char *verdict;
	} want[] = {
		{ 0x3000, 3, 3, 4, "false sharing" },
		{ 0x4000, 1, 1, 2, "true sharing" },
		{ 0x6000, 1, 1, 2, "allocator metadata" },
		{ 0x5000, 0, 1, 2, "read sharing" },
	};
	ck_assert_uint_eq(hotlines_count(h), G_N_ELEMENTS(want));
	for (unsigned i = 0; i < G_N_ELEMENTS(want); i++) {
		HotLineInfo info;
		hotlines_get(h, i, &info);
		ck_assert_uint_eq(info.line, want[i].line);
		ck_assert_uint_eq(info.invalidations, want[i].inv);
		ck_assert_uint_eq(info.transfers, want[i].xfer);
		ck_assert_uint_eq(info.txns, want[i].txns);
		ck_assert_uint_eq(info.updates, 0);
		ck_assert_uint_eq(info.n_cores, 2);
		ck_assert_str_eq(info.verdict, want[i].verdict);
	}
	const uint64_t *rd, *wr;
	ck_assert_uint_eq(hotlines_core(h, 0, 1, &rd, &wr), 1);
	ck_assert_uint_eq(rd[0], 0);
	ck_assert_uint_eq(wr[0], 2); /* word 1 */
	ck_assert_uint_eq(hotlines_core(h, 1, 0, &rd, &wr), 0);
	ck_assert_uint_eq(rd[0], 1); /* an rmw reads and writes word 0 */
	ck_assert_uint_eq(wr[0], 1);

	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	hotlines_print(h, 1, out);
	fclose(out);
	ck_assert_str_eq(buf,
			 "\nHot lines: 1 of 4 lines with coherence traffic (invalidations + "
			 "transfers + updates)\n"
			 "line                  inval    xfers  updates      bus  verdict\n"
			 "0x3000                    3        3        0        4  false sharing\n"
			 "    core 0: read words -, wrote 0\n"
			 "    core 1: read words -, wrote 1\n");
	free(buf);

	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	hotlines_add_json(h, 2, b);
	json_builder_end_object(b);
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	g_autofree char *json = json_to_string(root, FALSE);
	ck_assert_str_eq(json,
			 "{\"hot_lines\":[{\"line\":12288,\"invalidations\":3,\"transfers\":3,"
			 "\"updates\":0,\"bus_transactions\":4,\"verdict\":\"false sharing\","
			 "\"cores\":[{\"core\":0,\"read\":[],\"written\":[0]},"
			 "{\"core\":1,\"read\":[],\"written\":[1]}]},"
			 "{\"line\":16384,\"invalidations\":1,\"transfers\":1,\"updates\":0,"
			 "\"bus_transactions\":2,\"verdict\":\"true sharing\","
			 "\"cores\":[{\"core\":0,\"read\":[0],\"written\":[0]},"
			 "{\"core\":1,\"read\":[0],\"written\":[0]}]}]}");
	hotlines_free(h);
	machine_free(m);
	config_clear(&cfg);
}
END_TEST

/* 4096-byte lines: 512 words, 8 mask words per set.  Dragon never
 * invalidates: the traffic is one transfer and the updates. */
START_TEST(test_hot_lines_wide_dragon)
{
	Config cfg;
	Machine *m = small_machine(&cfg, "dragon", 4096);
	HotLines *h = hotlines_new(m);
	machine_access(m, 0, ACC_STORE, 0x10000 + 8 * 511, 1, 0); /* BusRd from memory: M */
	machine_access(m, 1, ACC_LOAD, 0x10000 + 8 * 300, 0, 0);  /* c0 supplies: Sm, Sc */
	machine_access(m, 0, ACC_STORE, 0x10000 + 8 * 511, 2, 0); /* BusUpd */
	machine_access(m, 0, ACC_STORE, 0x10000 + 8 * 510, 3, 0); /* BusUpd */
	ck_assert_uint_eq(hotlines_count(h), 1);
	HotLineInfo info;
	hotlines_get(h, 0, &info);
	ck_assert_uint_eq(info.invalidations, 0);
	ck_assert_uint_eq(info.transfers, 1);
	ck_assert_uint_eq(info.updates, 2);
	ck_assert_uint_eq(info.txns, 4);
	ck_assert_str_eq(info.verdict, "false sharing");
	const uint64_t *rd, *wr;
	hotlines_core(h, 0, 0, &rd, &wr);
	ck_assert_uint_eq(wr[7], UINT64_C(3) << 62); /* words 510 and 511 */
	hotlines_core(h, 0, 1, &rd, &wr);
	ck_assert_uint_eq(rd[4], UINT64_C(1) << 44); /* word 300 = 4 * 64 + 44 */
	hotlines_free(h);
	machine_free(m);
	config_clear(&cfg);
}
END_TEST

Suite *suite_compare(void)
{
	Suite *s = suite_create("compare");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, test_rows);
	tcase_add_test(tc, test_table_text);
	tcase_add_test(tc, test_identical_runs);
	tcase_add_test(tc, test_load_stats);
	suite_add_tcase(s, tc);
	tc = tcase_create("events");
	tcase_add_test(tc, test_events_mesi_msi);
	tcase_add_test(tc, test_events_identical);
	tcase_add_test(tc, test_events_rule);
	tcase_add_test(tc, test_events_bad_input);
	tcase_add_test(tc, test_trace_lines);
	tcase_add_test(tc, test_trace_victim_gz_abandon);
	tcase_add_test(tc, test_trace_unwritable);
	suite_add_tcase(s, tc);
	tc = tcase_create("hotlines");
	tcase_add_test(tc, test_hot_lines);
	tcase_add_test(tc, test_hot_lines_wide_dragon);
	suite_add_tcase(s, tc);
	return s;
}
