/* test_convert.c - the importers (sim/tools/convert.c): a small hand-written input
 * in each format converted and compared with the native text written out
 * by hand, the drop counts, multi-member .gz input, one row per error with
 * its exact FILE:LINE message, no output left by a failed conversion, and
 * the round trip of counts: a din trace converted and run on one core gives
 * the hits and misses of the native workload written by hand. */
#include <glib/gstdio.h>
#include <string.h>

#include "suites.h"
#include "testutil.h"
#include "engine/engine.h"
#include "engine/functional.h"
#include "input/config.h"
#include "input/workload.h"
#include "kernel/layout.h"
#include "machine/machine.h"
#include "tools/convert.h"

/* A fresh directory for one test's inputs, so file names (which appear in
 * the output) are fixed. */
static char *make_dir(void)
{
	GError *err = NULL;
	char *dir = g_dir_make_tmp("labyrinth-convert-XXXXXX", &err);
	ck_assert_msg(dir, "%s", err ? err->message : "?");
	return dir;
}

static char *write_input(const char *dir, const char *name, const char *text, gssize len)
{
	char *path = g_build_filename(dir, name, NULL);
	ck_assert(g_file_set_contents(path, text, len, NULL));
	return path;
}

static void remove_dir(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;
	while ((name = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(dir, name, NULL);
		g_unlink(path);
	}
	g_rmdir(dir);
}

/* Converts paths to text in memory; asserts success. */
static char *convert_ok(ConvFormat fmt, const char *const *paths, gsize n, ConvStats *stats)
{
	g_autoptr(GenWriter) w = gen_writer_new_memory(FALSE);
	GError *err = NULL;
	ck_assert_msg(conv_convert(fmt, paths, n, w, stats, &err) && gen_writer_finish(w, &err),
		      "%s", err ? err->message : "?");
	gsize len;
	const char *data = gen_writer_data(w, &len);
	return g_strndup(data, len);
}

/* ------------------------------------------------------------------------
 * Each format, by hand. */

START_TEST(test_din_one_file)
{
	g_autofree char *dir = make_dir();
	g_autofree char *path = write_input(dir, "trace.din",
					    "0 1000\n"
					    "1 1004 the rest of a din line is ignored\n"
					    "2 400\n"
					    "\n"
					    "0 0x1040\n"
					    "3 0\n"
					    "4 0\n"
					    "0 103f\r\n"
					    "1 FFFFFFF8",
					    -1);
	const char *paths[] = { path };
	ConvStats st;
	g_autofree char *text = convert_ok(CONV_DIN, paths, 1, &st);
	ck_assert_str_eq(text, "%labyrinth-workload 1\n"
			       "%cores 1\n"
			       "%name trace\n"
			       "# converted by labyrinth convert --from din from trace.din\n"
			       "0 ld 0x1000\n"
			       "0 st 0x1000\n"
			       "0 ld 0x1040\n"
			       "0 ld 0x1038\n"
			       "0 st 0xfffffff8\n");
	ck_assert_uint_eq(st.files, 1);
	ck_assert_uint_eq(st.cores, 1);
	ck_assert_uint_eq(st.lines_read, 9);
	ck_assert_uint_eq(st.operations, 5);
	ck_assert_uint_eq(st.dropped[CONV_DROP_BLANK], 1);
	ck_assert_uint_eq(st.dropped[CONV_DROP_IFETCH], 1);
	ck_assert_uint_eq(st.dropped[CONV_DROP_ESCAPE], 1);
	ck_assert_uint_eq(st.dropped[CONV_DROP_FLUSH], 1);
	ck_assert_uint_eq(st.dropped[CONV_DROP_COMMENT] + st.dropped[CONV_DROP_TOOL], 0);
	remove_dir(dir);
}
END_TEST

START_TEST(test_din_file_per_core)
{
	g_autofree char *dir = make_dir();
	g_autofree char *a = write_input(dir, "a.din", "0 100\n1 108\n", -1);
	g_autofree char *b = write_input(dir, "b.din", "2 0\n1 100\n", -1);
	const char *paths[] = { a, b };
	ConvStats st;
	g_autofree char *text = convert_ok(CONV_DIN, paths, 2, &st);
	ck_assert_str_eq(text, "%labyrinth-workload 1\n"
			       "%cores 2\n"
			       "%name a\n"
			       "# converted by labyrinth convert --from din from a.din b.din\n"
			       "# file i is core i, each core's lines together\n"
			       "0 ld 0x100\n"
			       "0 st 0x108\n"
			       "1 st 0x100\n");
	ck_assert_uint_eq(st.cores, 2);
	ck_assert_uint_eq(st.lines_read, 4);
	remove_dir(dir);
}
END_TEST

START_TEST(test_cs4223)
{
	g_autofree char *dir = make_dir();
	g_autofree char *p0 =
		write_input(dir, "p_0.data", "0 0x817ae8\n2 0x1a\n1 0x817b08\n0 817AEC\n", -1);
	g_autofree char *p1 = write_input(dir, "p_1.data", "2 0\n1 0x10\n", -1);
	const char *paths[] = { p0, p1 };
	ConvStats st;
	g_autofree char *text = convert_ok(CONV_CS4223, paths, 2, &st);
	ck_assert_str_eq(text,
			 "%labyrinth-workload 1\n"
			 "%cores 2\n"
			 "%name p_0\n"
			 "# converted by labyrinth convert --from cs4223 from p_0.data p_1.data\n"
			 "# file i is core i, each core's lines together\n"
			 "0 ld 0x817ae8\n"
			 "0 compute 26\n"
			 "0 st 0x817b08\n"
			 "0 ld 0x817ae8\n"
			 "1 compute 0\n"
			 "1 st 0x10\n");
	ck_assert_uint_eq(st.operations, 6);
	remove_dir(dir);
}
END_TEST

/* As valgrind writes it: I lines with two spaces, accesses with one
 * leading space, ==PID== lines (one with a trailing blank). */
START_TEST(test_lackey)
{
	g_autofree char *dir = make_dir();
	g_autofree char *path = write_input(dir, "lackey.log",
					    "==4242== Lackey, an example Valgrind tool\n"
					    "==4242== Command: ./hello\n"
					    "==4242== \n"
					    "I  04000ba0,3\n"
					    " S 1ffefffe98,8\n"
					    "I  04000ba3,5\n"
					    " L 04018560,4\n"
					    " M 0421e4e6,4\n"
					    " L 1ffefffea0,16\n"
					    " S 1ffefffe9c,2\n"
					    "==4242== \n"
					    "==4242== Counted 1 call to main()\n",
					    -1);
	const char *paths[] = { path };
	ConvStats st;
	g_autofree char *text = convert_ok(CONV_LACKEY, paths, 1, &st);
	ck_assert_str_eq(text, "%labyrinth-workload 1\n"
			       "%cores 1\n"
			       "%name lackey\n"
			       "# converted by labyrinth convert --from lackey from lackey.log\n"
			       "0 st 0x1ffefffe98\n"
			       "0 ld 0x4018560\n"
			       "0 ld 0x421e4e0\n" /* M of 4 bytes across two words */
			       "0 st 0x421e4e0\n"
			       "0 ld 0x421e4e8\n"
			       "0 st 0x421e4e8\n"
			       "0 ld 0x1ffefffea0\n" /* 16 bytes: two words */
			       "0 ld 0x1ffefffea8\n"
			       "0 st 0x1ffefffe98\n");
	ck_assert_uint_eq(st.lines_read, 12);
	ck_assert_uint_eq(st.dropped[CONV_DROP_TOOL], 5);
	ck_assert_uint_eq(st.dropped[CONV_DROP_IFETCH], 2);
	remove_dir(dir);
}
END_TEST

/* Thread ids to cores in order of first appearance; the global order is
 * kept, so the output replays under --schedule file. */
START_TEST(test_tid)
{
	g_autofree char *dir = make_dir();
	g_autofree char *path = write_input(dir, "threads.trace",
					    "# pid 1234\n"
					    "101 L 7ffd1000 8\n"
					    "102 S 0x601040 4\n"
					    "101 I 12\n"
					    "103 M 601044 8\n"
					    "102 L 601040 16\n"
					    "101 S 7ffd1008 8\n",
					    -1);
	const char *paths[] = { path };
	ConvStats st;
	g_autofree char *text = convert_ok(CONV_TID, paths, 1, &st);
	ck_assert_str_eq(text, "%labyrinth-workload 1\n"
			       "%name threads\n"
			       "# converted by labyrinth convert --from tid from threads.trace\n"
			       "# threads become cores in order of first appearance (listed at "
			       "the end)\n"
			       "0 ld 0x7ffd1000\n"
			       "1 st 0x601040\n"
			       "0 compute 12\n"
			       "2 ld 0x601040\n"
			       "2 st 0x601040\n"
			       "2 ld 0x601048\n"
			       "2 st 0x601048\n"
			       "1 ld 0x601040\n"
			       "1 ld 0x601048\n"
			       "0 st 0x7ffd1008\n"
			       "# core 0: thread 101\n"
			       "# core 1: thread 102\n"
			       "# core 2: thread 103\n");
	ck_assert_uint_eq(st.cores, 3);
	ck_assert_uint_eq(st.dropped[CONV_DROP_COMMENT], 1);

	/* the reader takes it: 3 cores from the highest id, no lock/barrier */
	g_autofree char *wl_path = tu_write_temp(text, ".wl");
	GError *err = NULL;
	g_autoptr(WlFile) wl = wl_open(wl_path, &err);
	WlLimits limits = { .cores = 0, .mem_size = UINT64_C(1) << 48,
			    .kernel_base = UINT64_C(1) << 47 };
	WlInfo info;
	ck_assert_msg(wl_validate(wl, &limits, &info, &err), "%s", err ? err->message : "?");
	ck_assert_uint_eq(info.cores, 3);
	ck_assert_uint_eq(info.operations, 10);
	ck_assert(!info.uses_lock && !info.uses_barrier);
	wl_info_clear(&info);
	remove_dir(dir);
}
END_TEST

/* "cat a.gz b.gz" is one input of two gzip members. */
START_TEST(test_gzip_members)
{
	g_autofree char *dir = make_dir();
	g_autofree char *gz1 = tu_write_temp_gz("0 1000\n1 1008\n", ".gz");
	g_autofree char *gz2 = tu_write_temp_gz("2 0\n0 2000\n", ".gz");
	g_autofree char *b1 = NULL, *b2 = NULL;
	gsize n1, n2;
	ck_assert(g_file_get_contents(gz1, &b1, &n1, NULL));
	ck_assert(g_file_get_contents(gz2, &b2, &n2, NULL));
	g_autofree char *both = g_malloc(n1 + n2);
	memcpy(both, b1, n1);
	memcpy(both + n1, b2, n2);
	g_autofree char *path = write_input(dir, "two.din.gz", both, (gssize)(n1 + n2));
	const char *paths[] = { path };
	ConvStats st;
	g_autofree char *text = convert_ok(CONV_DIN, paths, 1, &st);
	ck_assert_str_eq(text, "%labyrinth-workload 1\n"
			       "%cores 1\n"
			       "%name two\n"
			       "# converted by labyrinth convert --from din from two.din.gz\n"
			       "0 ld 0x1000\n"
			       "0 st 0x1008\n"
			       "0 ld 0x2000\n");
	ck_assert_uint_eq(st.lines_read, 4);

	/* cut short: an error, not a silently shorter trace */
	g_autofree char *cut = write_input(dir, "cut.din.gz", b1, (gssize)n1 - 6);
	const char *cut_paths[] = { cut };
	g_autoptr(GenWriter) w = gen_writer_new_memory(FALSE);
	g_autoptr(GError) err = NULL;
	ck_assert(!conv_convert(CONV_DIN, cut_paths, 1, w, &st, &err));
	g_autofree char *want = g_strdup_printf("%s: the gzip data ends early (a truncated file?)",
						cut);
	ck_assert_str_eq(err->message, want);
	remove_dir(dir);
}
END_TEST

/* ------------------------------------------------------------------------
 * Errors: "FILE:LINE: expected ..., found ...". */

typedef struct {
	ConvFormat fmt;
	const char *input;
	const char *message; /* after "PATH:" */
} ErrorCase;

static const ErrorCase error_cases[] = {
	{ CONV_DIN, "0 1000\n5 2000\n",
	  "2: expected a din label 0 (read), 1 (write), 2 (fetch), 3 or 4, found '5'" },
	{ CONV_DIN, "0\n", "1: expected a hexadecimal address, found end of line" },
	{ CONV_DIN, "1 12345678901234567\n",
	  "1: expected a hexadecimal address, found '12345678901234567'" },
	{ CONV_DIN, "r 1000\n",
	  "1: expected a din label 0 (read), 1 (write), 2 (fetch), 3 or 4, found 'r'" },
	{ CONV_CS4223, "0 1000\n3 10\n",
	  "2: expected 0 (load), 1 (store) or 2 (other work), found '3'" },
	{ CONV_CS4223, "2 zz\n", "1: expected a hexadecimal cycle count, found 'zz'" },
	{ CONV_CS4223, "0 1000 1\n", "1: expected end of line, found '1'" },
	{ CONV_LACKEY, " X 1000,8\n",
	  "1: expected a lackey line (I, L, S or M, or a ==PID== message), found 'X'" },
	{ CONV_LACKEY, "==1== hi\n L 1000\n", "2: expected ADDRESS,SIZE, found '1000'" },
	{ CONV_LACKEY, " L 1000,x\n",
	  "1: expected ADDRESS,SIZE with a decimal size, found '1000,x'" },
	{ CONV_LACKEY, " L 10g0,8\n",
	  "1: expected ADDRESS,SIZE with a hexadecimal address, found '10g0,8'" },
	{ CONV_TID, "1 L 1000 8\n2 Q 1000 8\n",
	  "2: expected an operation L, S, M or I after the thread id, found 'Q'" },
	{ CONV_TID, "1 L 1000 0\n", "1: expected a size of at least 1 byte, found '0'" },
	{ CONV_TID, "1 I\n", "1: expected a number of instructions, found end of line" },
	{ CONV_TID, "1 S 1000\n", "1: expected a size in bytes, found end of line" },
	{ CONV_TID, "1 L ffffffffffffffff 16\n",
	  "1: expected an access inside the 64-bit address space, found 16 bytes at "
	  "0xffffffffffffffff" },
	{ CONV_TID, "1 L 1000 8 extra\n", "1: expected end of line, found 'extra'" },
};

START_TEST(test_errors)
{
	const ErrorCase *c = &error_cases[_i];
	g_autofree char *dir = make_dir();
	g_autofree char *path = write_input(dir, "bad.trace", c->input, -1);
	const char *paths[] = { path };
	ConvStats st;
	g_autoptr(GenWriter) w = gen_writer_new_memory(FALSE);
	g_autoptr(GError) err = NULL;
	ck_assert(!conv_convert(c->fmt, paths, 1, w, &st, &err));
	ck_assert_int_eq(err->code, CONV_ERROR_PARSE);
	g_autofree char *want = g_strdup_printf("%s:%s", path, c->message);
	ck_assert_str_eq(err->message, want);
	remove_dir(dir);
}
END_TEST

START_TEST(test_nul_byte)
{
	g_autofree char *dir = make_dir();
	g_autofree char *path = write_input(dir, "bin.din", "0 1000\n0 10\0 0\n", 15);
	const char *paths[] = { path };
	ConvStats st;
	g_autoptr(GenWriter) w = gen_writer_new_memory(FALSE);
	g_autoptr(GError) err = NULL;
	ck_assert(!conv_convert(CONV_DIN, paths, 1, w, &st, &err));
	g_autofree char *want =
		g_strdup_printf("%s:2: expected text, found a NUL byte (a binary file?)", path);
	ck_assert_str_eq(err->message, want);
	remove_dir(dir);
}
END_TEST

/* Wrong input counts, and a missing file. */
START_TEST(test_usage_errors)
{
	g_autofree char *dir = make_dir();
	g_autofree char *path = write_input(dir, "t.trace", "1 L 0 8\n", -1);
	const char *two[] = { path, path };
	ConvStats st;
	g_autoptr(GenWriter) w = gen_writer_new_memory(FALSE);
	g_autoptr(GError) err = NULL;
	ck_assert(!conv_convert(CONV_TID, two, 2, w, &st, &err));
	ck_assert_str_eq(err->message,
			 "--from tid takes one INPUT (a trace of all threads), found 2");
	g_clear_error(&err);

	g_autofree char *missing = g_build_filename(dir, "missing.din", NULL);
	const char *one[] = { missing };
	ck_assert(!conv_convert(CONV_DIN, one, 1, w, &st, &err));
	ck_assert_int_eq(err->code, CONV_ERROR_OPEN);
	g_autofree char *want =
		g_strdup_printf("cannot open %s: No such file or directory", missing);
	ck_assert_str_eq(err->message, want);

	ConvFormat fmt;
	ck_assert(conv_format_from_name("lackey", &fmt) && fmt == CONV_LACKEY);
	ck_assert(!conv_format_from_name("pin", &fmt));
	remove_dir(dir);
}
END_TEST

/* A failed conversion into a file leaves neither the file nor a
 * temporary; the error names the line after many good ones (the second
 * block of input). */
START_TEST(test_no_output_on_error)
{
	g_autofree char *dir = make_dir();
	GString *big = g_string_new(NULL);
	for (int i = 0; i < 200000; i++)
		g_string_append_printf(big, "%d %x\n", i % 2, 0x1000 + 8 * i);
	g_string_append(big, "9 0\n");
	g_autofree char *in = write_input(dir, "big.din", big->str, (gssize)big->len);
	g_string_free(big, TRUE);
	g_autofree char *out = g_build_filename(dir, "out.wl", NULL);
	GError *err = NULL;
	GenWriter *w = gen_writer_open(out, &err);
	ck_assert(w);
	const char *paths[] = { in };
	ConvStats st;
	ck_assert(!conv_convert(CONV_DIN, paths, 1, w, &st, &err));
	gen_writer_free(w);
	g_autofree char *want = g_strdup_printf(
		"%s:200001: expected a din label 0 (read), 1 (write), 2 (fetch), 3 or 4, found '9'",
		in);
	ck_assert_str_eq(err->message, want);
	g_error_free(err);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	ck_assert_str_eq(g_dir_read_name(d), "big.din");
	ck_assert_ptr_null(g_dir_read_name(d));
	remove_dir(dir);
}
END_TEST

/* ------------------------------------------------------------------------
 * The round trip of counts. */

/* Runs the workload at path on one MESI machine in functional mode. */
static CacheStats run_functional(const char *path)
{
	Config cfg;
	config_init(&cfg);
	cfg.mode = MODE_FUNCTIONAL;
	GError *err = NULL;
	g_autoptr(WlFile) wl = wl_open(path, &err);
	ck_assert_msg(wl, "%s", err ? err->message : "?");
	WlLimits limits = { .cores = 0, .mem_size = cfg.mem_size,
			    .kernel_base = kernel_region_base(&cfg) };
	WlInfo info;
	ck_assert_msg(wl_validate(wl, &limits, &info, &err), "%s", err ? err->message : "?");
	ck_assert_uint_eq(info.cores, 1);
	cfg.cores = info.cores;
	Machine *m = machine_new(&cfg, proto_lookup("mesi"), info.cores);
	RunResult res;
	run_result_init(&res, info.cores);
	ck_assert_msg(functional_run(m, wl, &info, SCHED_ROUNDS, &res, &err), "%s",
		      err ? err->message : "?");
	CacheStats s = *machine_cache_stats(m, 0);
	run_result_clear(&res);
	machine_free(m);
	wl_info_clear(&info);
	config_clear(&cfg);
	return s;
}

START_TEST(test_din_round_trip)
{
	g_autofree char *dir = make_dir();
	g_autofree char *din = write_input(dir, "rt.din",
					   "0 1000\n" /* miss */
					   "1 1004\n" /* hit: same word */
					   "2 400\n"  /* dropped */
					   "0 1040\n" /* miss: next line */
					   "0 2000\n" /* miss */
					   "1 1008\n" /* hit */
					   "0 103f\n" /* hit: word 0x1038 of line 0x1000 */
					   "1 2000\n", /* hit */
					   -1);
	g_autofree char *out = g_build_filename(dir, "rt.wl", NULL);
	GError *err = NULL;
	g_autoptr(GenWriter) w = gen_writer_open(out, &err);
	const char *paths[] = { din };
	ConvStats st;
	ck_assert(conv_convert(CONV_DIN, paths, 1, w, &st, &err) && gen_writer_finish(w, &err));

	g_autofree char *native = write_input(dir, "native.wl",
					      "%labyrinth-workload 1\n"
					      "0 ld 0x1000\n"
					      "0 st 0x1000\n"
					      "0 ld 0x1040\n"
					      "0 ld 0x2000\n"
					      "0 st 0x1008\n"
					      "0 ld 0x1038\n"
					      "0 st 0x2000\n",
					      -1);
	CacheStats a = run_functional(out), b = run_functional(native);
	ck_assert_uint_eq(a.accesses, 7);
	ck_assert_uint_eq(a.hits, 4);
	ck_assert_uint_eq(a.misses, 3);
	ck_assert_uint_eq(a.accesses, b.accesses);
	ck_assert_uint_eq(a.hits, b.hits);
	ck_assert_uint_eq(a.misses, b.misses);
	ck_assert_uint_eq(a.upgrades, b.upgrades);
	ck_assert_uint_eq(a.evictions, b.evictions);
	remove_dir(dir);
}
END_TEST

Suite *suite_convert(void)
{
	Suite *s = suite_create("convert");
	TCase *tc = tcase_create("convert");
	tcase_add_test(tc, test_din_one_file);
	tcase_add_test(tc, test_din_file_per_core);
	tcase_add_test(tc, test_cs4223);
	tcase_add_test(tc, test_lackey);
	tcase_add_test(tc, test_tid);
	tcase_add_test(tc, test_gzip_members);
	tcase_add_loop_test(tc, test_errors, 0, G_N_ELEMENTS(error_cases));
	tcase_add_test(tc, test_nul_byte);
	tcase_add_test(tc, test_usage_errors);
	tcase_add_test(tc, test_no_output_on_error);
	tcase_add_test(tc, test_din_round_trip);
	suite_add_tcase(s, tc);
	return s;
}
