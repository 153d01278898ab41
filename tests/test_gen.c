/* test_gen.c - the pattern generators (sim/tools/gen.c): the exact lines of small
 * workloads written out by hand, determinism (same seed, same bytes), the
 * operation mix asked for, and that every pattern's output passes the
 * reader's validation with the core count, name and operation count it
 * claims.  Also the writer: .gz output, no file left behind when a writer
 * is abandoned, links and FIFOs written through rather than replaced. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "suites.h"
#include "testutil.h"
#include "input/config.h"
#include "input/workload.h"
#include "kernel/layout.h"
#include "tools/gen.h"

/* The text gen_write() produces for pattern and params; asserts success. */
static char *gen_text_of(const char *pattern, const GenParams *p)
{
	const GenPattern *pat = gen_pattern_lookup(pattern);
	ck_assert_msg(pat, "no pattern %s", pattern);
	g_autoptr(GenWriter) w = gen_writer_new_memory(FALSE);
	GError *err = NULL;
	ck_assert_msg(gen_write(pat, p, w, &err) && gen_writer_finish(w, &err), "%s",
		      err ? err->message : "?");
	gsize len;
	const char *data = gen_writer_data(w, &len);
	return g_strndup(data, len);
}

/* The text without its comment lines. */
static char *strip_comments(const char *text)
{
	GString *s = g_string_new(NULL);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l; l++)
		if (**l && **l != '#')
			g_string_append_printf(s, "%s\n", *l);
	return g_string_free(s, FALSE);
}

static GenParams params(unsigned cores, uint64_t ops, uint64_t seed)
{
	GenParams p;
	gen_params_init(&p);
	p.cores = cores;
	p.ops = ops;
	p.seed = seed;
	return p;
}

/* Limits as `labyrinth run` sets them with the default configuration. */
static WlLimits default_limits(void)
{
	Config cfg;
	config_init(&cfg);
	WlLimits limits = { .cores = 0, .mem_size = cfg.mem_size,
			    .kernel_base = kernel_region_base(&cfg) };
	config_clear(&cfg);
	return limits;
}

/* Writes text to a temporary workload, opens and validates it. */
static WlFile *validated(const char *text, WlInfo *info)
{
	g_autofree char *path = tu_write_temp(text, ".wl");
	GError *err = NULL;
	WlFile *wl = wl_open(path, &err);
	ck_assert_msg(wl, "%s", err ? err->message : "?");
	WlLimits limits = default_limits();
	ck_assert_msg(wl_validate(wl, &limits, info, &err), "%s", err ? err->message : "?");
	return wl;
}

/* ------------------------------------------------------------------------
 * Exact output of small cases. */

typedef struct {
	const char *pattern;
	unsigned cores;
	uint64_t ops;
	int lines, batch; /* GEN_UNSET for the default */
	const char *expected; /* without comment lines */
} ExactCase;

static const ExactCase exact_cases[] = {
	{ "true-sharing", 2, 5, GEN_UNSET, GEN_UNSET,
	  "%labyrinth-workload 1\n%cores 2\n%name true-sharing\n"
	  "0 ld 0x100000\n1 ld 0x100000\n0 st 0x100000\n1 st 0x100000\n0 ld 0x100000\n" },
	/* cores 8 and 9 use the next line */
	{ "false-sharing", 10, 10, GEN_UNSET, GEN_UNSET,
	  "%labyrinth-workload 1\n%cores 10\n%name false-sharing\n"
	  "0 ld 0x100000\n1 ld 0x100008\n2 ld 0x100010\n3 ld 0x100018\n4 ld 0x100020\n"
	  "5 ld 0x100028\n6 ld 0x100030\n7 ld 0x100038\n8 ld 0x100040\n9 ld 0x100048\n" },
	/* 18 ops on 2 cores: S = 18 / 9N = 1 line in 2 steps */
	{ "producer-consumer", 2, 18, GEN_UNSET, GEN_UNSET,
	  "%labyrinth-workload 1\n%cores 2\n%name producer-consumer\n"
	  "0 st 0x100000\n0 st 0x100008\n0 st 0x100010\n0 st 0x100018\n"
	  "0 st 0x100020\n0 st 0x100028\n0 st 0x100030\n0 st 0x100038\n"
	  "0 barrier\n1 barrier\n"
	  "1 ld 0x100000\n1 ld 0x100008\n1 ld 0x100010\n1 ld 0x100018\n"
	  "1 ld 0x100020\n1 ld 0x100028\n1 ld 0x100030\n1 ld 0x100038\n"
	  "0 barrier\n1 barrier\n" },
	/* one turn of 16 + 2 lines */
	{ "migratory", 2, 20, GEN_UNSET, GEN_UNSET,
	  "%labyrinth-workload 1\n%cores 2\n%name migratory\n"
	  "0 ld 0x100000\n0 ld 0x100008\n0 ld 0x100010\n0 ld 0x100018\n"
	  "0 ld 0x100020\n0 ld 0x100028\n0 ld 0x100030\n0 ld 0x100038\n"
	  "0 st 0x100000\n0 st 0x100008\n0 st 0x100010\n0 st 0x100018\n"
	  "0 st 0x100020\n0 st 0x100028\n0 st 0x100030\n0 st 0x100038\n"
	  "0 barrier\n1 barrier\n" },
	/* 9 ops, 4 per critical section: 1 each (9 / 8 rounds down) */
	{ "lock-storm", 2, 9, GEN_UNSET, GEN_UNSET,
	  "%labyrinth-workload 1\n%cores 2\n%name lock-storm\n"
	  "0 lock 0x1000\n0 ld 0x100000\n0 st 0x100000\n0 unlock 0x1000\n"
	  "1 lock 0x1000\n1 ld 0x100000\n1 st 0x100000\n1 unlock 0x1000\n" },
	/* one iteration: a batch of 1, 2 lines touched, spread 2 KiB apart */
	{ "alloc-storm", 2, 1, 2, 1,
	  "%labyrinth-workload 1\n%cores 2\n%name alloc-storm\n"
	  "0 alloc r0 GFP_KERNEL\n0 st r0+0x0\n0 st r0+0x800\n"
	  "1 alloc r0 GFP_KERNEL\n1 st r0+0x0\n1 st r0+0x800\n"
	  "0 barrier\n1 barrier\n0 free r0\n1 free r0\n0 barrier\n1 barrier\n" },
	/* two iterations of 5 lines per core: core 0 starts the second late */
	{ "alloc-storm", 2, 24, 1, 1,
	  "%labyrinth-workload 1\n%cores 2\n%name alloc-storm\n"
	  "0 alloc r0 GFP_KERNEL\n0 st r0+0x0\n1 alloc r0 GFP_KERNEL\n1 st r0+0x0\n"
	  "0 barrier\n1 barrier\n0 free r0\n1 free r0\n0 barrier\n1 barrier\n"
	  "0 compute 10000\n"
	  "0 alloc r0 GFP_KERNEL\n0 st r0+0x0\n1 alloc r0 GFP_KERNEL\n1 st r0+0x0\n"
	  "0 barrier\n1 barrier\n0 free r0\n1 free r0\n0 barrier\n1 barrier\n" },
	/* a share of 6: 1 barrier, 5 / 4 = 1 GFP_NOWAIT, 4 GFP_ATOMIC */
	{ "reserve-drain", 1, 6, GEN_UNSET, GEN_UNSET,
	  "%labyrinth-workload 1\n%cores 1\n%name reserve-drain\n"
	  "0 alloc r0 GFP_ATOMIC\n0 alloc r1 GFP_ATOMIC\n0 alloc r2 GFP_ATOMIC\n"
	  "0 alloc r3 GFP_ATOMIC\n0 barrier\n0 alloc r4 GFP_NOWAIT\n" },
};

START_TEST(test_exact_output)
{
	const ExactCase *c = &exact_cases[_i];
	GenParams p = params(c->cores, c->ops, 1);
	p.lines = c->lines;
	p.batch = c->batch;
	g_autofree char *text = gen_text_of(c->pattern, &p);
	g_autofree char *body = strip_comments(text);
	ck_assert_str_eq(body, c->expected);
}
END_TEST

/* The comment header names the command that reproduces the file. */
START_TEST(test_header_comments)
{
	GenParams p = params(3, 12, 42);
	p.write_fraction = 0.5;
	g_autofree char *text = gen_text_of("private", &p);
	ck_assert_msg(g_str_has_prefix(text, "%labyrinth-workload 1\n%cores 3\n%name private\n"
					     "# labyrinth gen private --cores 3 --ops 12 --seed 42 "
					     "--write-fraction 0.5 --lines 256\n"),
		      "%s", text);
	ck_assert_ptr_nonnull(strstr(text, "\n# Look for: "));
}
END_TEST

/* ------------------------------------------------------------------------
 * Determinism. */

START_TEST(test_same_seed_same_bytes)
{
	const GenPattern *pat = gen_pattern_at((gsize)_i);
	GenParams p = params(5, 3000, 12345);
	g_autofree char *a = gen_text_of(pat->name, &p);
	g_autofree char *b = gen_text_of(pat->name, &p);
	ck_assert_str_eq(a, b);
}
END_TEST

/* Patterns with random choices give other operations for another seed;
 * the others give the same operations whatever the seed. */
START_TEST(test_other_seed)
{
	static const char *const random_patterns[] = { "private", "read-mostly", "random" };
	const GenPattern *pat = gen_pattern_at((gsize)_i);
	GenParams p1 = params(5, 3000, 1), p2 = params(5, 3000, 2);
	g_autofree char *a = gen_text_of(pat->name, &p1);
	g_autofree char *b = gen_text_of(pat->name, &p2);
	g_autofree char *body_a = strip_comments(a);
	g_autofree char *body_b = strip_comments(b);
	gboolean uses_rng = g_strv_contains(random_patterns, pat->name);
	if (uses_rng)
		ck_assert_str_ne(body_a, body_b);
	else
		ck_assert_str_eq(body_a, body_b);
}
END_TEST

/* ------------------------------------------------------------------------
 * Valid output for every pattern. */

START_TEST(test_valid_output)
{
	static const unsigned core_counts[] = { 1, 3, 8, 17 };
	const GenPattern *pat = gen_pattern_at((gsize)_i);
	for (gsize k = 0; k < G_N_ELEMENTS(core_counts); k++) {
		unsigned n = core_counts[k];
		GenParams p = params(n, 2000, 9);
		g_autoptr(GenWriter) w = gen_writer_new_memory(FALSE);
		GError *err = NULL;
		ck_assert(gen_write(pat, &p, w, &err) && gen_writer_finish(w, &err));
		gsize len;
		const char *data = gen_writer_data(w, &len);
		g_autofree char *text = g_strndup(data, len);
		WlInfo info;
		g_autoptr(WlFile) wl = validated(text, &info);
		ck_assert_uint_eq(info.cores, n);
		ck_assert_uint_eq(info.declared_cores, n);
		ck_assert_str_eq(info.name, pat->name);
		ck_assert_uint_eq(info.operations, gen_writer_ops(w));
		ck_assert_int_eq(info.uses_lock || info.uses_barrier, pat->sync);
		ck_assert_int_eq(info.uses_alloc, pat->alloc);
		/* "exactly M" patterns write M lines; the others stay near M */
		if (strstr(pat->ops_rule, "exactly M"))
			ck_assert_uint_eq(info.operations, 2000);
		else
			ck_assert_msg(info.operations <= 2000 + 40 * n &&
					      info.operations >= 1000,
				      "%s, %u cores: %" G_GUINT64_FORMAT " operations", pat->name,
				      n, info.operations);
		wl_info_clear(&info);
	}
}
END_TEST

/* ------------------------------------------------------------------------
 * The mix of operations. */

/* Fraction of ops of kind in info, against want within tol. */
static void assert_fraction(const WlInfo *info, WlOpKind kind, double want, double tol)
{
	double got = (double)info->ops_of_kind[kind] / (double)info->operations;
	ck_assert_msg(fabs(got - want) <= tol, "%s: %.4f of operations, expected %.4f +- %.4f",
		      wl_op_name(kind), got, want, tol);
}

START_TEST(test_random_mix)
{
	GenParams p = params(4, 100000, 3);
	p.write_fraction = 0.3;
	p.rmw_fraction = 0.1;
	p.compute_fraction = 0.05;
	p.shared_fraction = 0.4;
	g_autofree char *text = gen_text_of("random", &p);
	WlInfo info;
	g_autoptr(WlFile) wl = validated(text, &info);
	/* 100000 draws: one standard deviation of a 30% share is 0.0015 */
	assert_fraction(&info, WL_OP_ST, 0.30, 0.01);
	assert_fraction(&info, WL_OP_RMW, 0.10, 0.01);
	assert_fraction(&info, WL_OP_COMPUTE, 0.05, 0.01);
	assert_fraction(&info, WL_OP_LD, 0.55, 0.01);

	/* shared accesses: below the private regions */
	GError *err = NULL;
	g_autoptr(WlCursor) cur = wl_cursor_new(wl, -1, &err);
	WlOp op;
	uint64_t mem = 0, shared = 0;
	while (wl_cursor_next(cur, &op, &err) == 1) {
		if (op.kind == WL_OP_COMPUTE) {
			ck_assert_uint_eq(op.value, 10); /* the default --think */
			continue;
		}
		mem++;
		if (op.addr < GEN_PRIVATE_BASE) {
			shared++;
			ck_assert_uint_lt(op.addr, GEN_SHARED_BASE + 256 * 64);
		} else {
			uint64_t base = GEN_PRIVATE_BASE + op.core * GEN_PRIVATE_STRIDE;
			ck_assert_uint_ge(op.addr, base);
			ck_assert_uint_lt(op.addr, base + 256 * 64);
		}
	}
	ck_assert_msg(fabs((double)shared / (double)mem - 0.4) <= 0.01, "shared %.4f",
		      (double)shared / (double)mem);
	wl_info_clear(&info);
}
END_TEST

START_TEST(test_write_fractions)
{
	static const struct {
		const char *pattern;
		double fraction; /* NAN: the default */
		double expected;
	} rows[] = {
		{ "private", NAN, 0.30 },
		{ "private", 0.0, 0.0 },
		{ "private", 1.0, 1.0 },
		{ "read-mostly", NAN, 0.02 },
		{ "read-mostly", 0.25, 0.25 },
		{ "random", NAN, 0.30 },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(rows); i++) {
		GenParams p = params(2, 50000, 77);
		p.write_fraction = rows[i].fraction;
		g_autofree char *text = gen_text_of(rows[i].pattern, &p);
		WlInfo info;
		g_autoptr(WlFile) wl = validated(text, &info);
		assert_fraction(&info, WL_OP_ST, rows[i].expected, 0.01);
		assert_fraction(&info, WL_OP_LD, 1 - rows[i].expected, 0.01);
		wl_info_clear(&info);
	}
}
END_TEST

/* Every core touches exactly one word; the words are distinct; cores 8k
 * to 8k+7 share line k. */
START_TEST(test_false_sharing_words)
{
	GenParams p = params(12, 1200, 1);
	g_autofree char *text = gen_text_of("false-sharing", &p);
	WlInfo info;
	g_autoptr(WlFile) wl = validated(text, &info);
	uint64_t word[12];
	for (int c = 0; c < 12; c++) {
		GError *err = NULL;
		g_autoptr(WlCursor) cur = wl_cursor_new(wl, c, &err);
		WlOp op;
		int n = 0;
		while (wl_cursor_next(cur, &op, &err) == 1) {
			if (n++ == 0)
				word[c] = op.addr;
			ck_assert_uint_eq(op.addr, word[c]);
			ck_assert_int_eq(op.kind, n % 2 ? WL_OP_LD : WL_OP_ST);
		}
		ck_assert_int_eq(n, 100);
	}
	for (int c = 0; c < 12; c++) {
		ck_assert_uint_eq(word[c] / 64, (GEN_SHARED_BASE + 64 * (c / 8)) / 64);
		for (int d = 0; d < c; d++)
			ck_assert_uint_ne(word[c], word[d]);
	}
	wl_info_clear(&info);
}
END_TEST

/* Core 0 only stores, the others only load, and every consumer loads the
 * words core 0 stored, in the same order. */
START_TEST(test_producer_consumer_roles)
{
	GenParams p = params(3, 3 * 9 * 20, 1); /* S = 20 lines through a ring of 16 */
	g_autofree char *text = gen_text_of("producer-consumer", &p);
	WlInfo info;
	g_autoptr(WlFile) wl = validated(text, &info);
	ck_assert_uint_eq(info.ops_of_kind[WL_OP_ST], 8 * 20);
	ck_assert_uint_eq(info.ops_of_kind[WL_OP_LD], 2 * 8 * 20);
	ck_assert_uint_eq(info.ops_of_kind[WL_OP_BARRIER], 3 * 21);
	uint64_t stored[160];
	for (int c = 0; c < 3; c++) {
		GError *err = NULL;
		g_autoptr(WlCursor) cur = wl_cursor_new(wl, c, &err);
		WlOp op;
		int n = 0;
		while (wl_cursor_next(cur, &op, &err) == 1) {
			if (op.kind == WL_OP_BARRIER)
				continue;
			ck_assert_int_eq(op.kind, c == 0 ? WL_OP_ST : WL_OP_LD);
			if (c == 0)
				stored[n] = op.addr;
			else
				ck_assert_uint_eq(op.addr, stored[n]);
			n++;
		}
		ck_assert_int_eq(n, 160);
	}
	/* line 16 reuses ring line 0 */
	ck_assert_uint_eq(stored[8 * 16], GEN_SHARED_BASE);
	wl_info_clear(&info);
}
END_TEST

/* Counts of the fixed-shape patterns, worked out by hand. */
START_TEST(test_fixed_shape_counts)
{
	/* migratory, 4 cores, 2 lines: turns of 32 + 4; 1000 / 36 = 27 turns */
	GenParams p = params(4, 1000, 1);
	p.lines = 2;
	g_autofree char *mig = gen_text_of("migratory", &p);
	WlInfo info;
	g_autoptr(WlFile) wl = validated(mig, &info);
	ck_assert_uint_eq(info.operations, 27 * 36);
	ck_assert_uint_eq(info.ops_per_core[0], 7 * 32 + 27); /* turns 0, 4, ..., 24 */
	ck_assert_uint_eq(info.ops_per_core[3], 6 * 32 + 27);
	ck_assert_uint_eq(info.ops_of_kind[WL_OP_BARRIER], 4 * 27);
	wl_info_clear(&info);

	/* lock-storm, 3 cores, 2 lines, think 5: sections of 7; 1000 / 21 = 47 each */
	p = params(3, 1000, 1);
	p.lines = 2;
	p.think = 5;
	g_autofree char *lock = gen_text_of("lock-storm", &p);
	g_autoptr(WlFile) wl2 = validated(lock, &info);
	ck_assert_uint_eq(info.ops_of_kind[WL_OP_LOCK], 3 * 47);
	ck_assert_uint_eq(info.ops_of_kind[WL_OP_UNLOCK], 3 * 47);
	ck_assert_uint_eq(info.ops_of_kind[WL_OP_COMPUTE], 3 * 47);
	ck_assert_uint_eq(info.operations, 3 * 47 * 7);
	wl_info_clear(&info);

	/* alloc-storm, 2 cores, batch 3, 4 lines: 3 x 6 + 2 = 20 per
	 * iteration and core; 1000 / 40 = 25 iterations, 12 of them odd
	 * (core 0 starts those with a compute line) */
	p = params(2, 1000, 1);
	p.batch = 3;
	g_autofree char *alloc = gen_text_of("alloc-storm", &p);
	g_autoptr(WlFile) wl3 = validated(alloc, &info);
	ck_assert_uint_eq(info.ops_of_kind[WL_OP_ALLOC], 2 * 25 * 3);
	ck_assert_uint_eq(info.ops_of_kind[WL_OP_FREE], 2 * 25 * 3);
	ck_assert_uint_eq(info.ops_of_kind[WL_OP_ST], 2 * 25 * 3 * 4);
	ck_assert_uint_eq(info.ops_of_kind[WL_OP_BARRIER], 2 * 25 * 2);
	ck_assert_uint_eq(info.ops_of_kind[WL_OP_COMPUTE], 12);
	ck_assert_uint_eq(info.ops_per_core[0], 25 * 20 + 12);
	ck_assert_uint_eq(info.operations, 2 * 25 * 20 + 12);
	wl_info_clear(&info);
}
END_TEST

/* reserve-drain: GFP_ATOMIC, then the barrier, then GFP_NOWAIT, per core;
 * 4 cores x 25: 18 atomic, 1 barrier, 6 nowait each. */
START_TEST(test_reserve_drain_phases)
{
	GenParams p = params(4, 100, 1);
	p.order = 2;
	g_autofree char *text = gen_text_of("reserve-drain", &p);
	WlInfo info;
	g_autoptr(WlFile) wl = validated(text, &info);
	for (int c = 0; c < 4; c++) {
		GError *err = NULL;
		g_autoptr(WlCursor) cur = wl_cursor_new(wl, c, &err);
		WlOp op;
		int n = 0;
		while (wl_cursor_next(cur, &op, &err) == 1) {
			if (n == 18) {
				ck_assert_int_eq(op.kind, WL_OP_BARRIER);
			} else {
				ck_assert_int_eq(op.kind, WL_OP_ALLOC);
				ck_assert_uint_eq(op.gfp, n < 18 ? WL_GFP_ATOMIC : WL_GFP_NOWAIT);
				ck_assert_uint_eq(op.order, 2);
				ck_assert_uint_eq(op.reg, (n < 18 ? n : n - 1) % 16);
			}
			n++;
		}
		ck_assert_int_eq(n, 25);
	}
	ck_assert_uint_eq(info.ops_of_kind[WL_OP_FREE], 0);
	wl_info_clear(&info);
}
END_TEST

/* ------------------------------------------------------------------------
 * Parameter errors. */

typedef struct {
	const char *pattern;
	void (*set)(GenParams *p);
	const char *message;
} ParamCase;

static void set_batch(GenParams *p)
{
	p->batch = 2;
}
static void set_write_2(GenParams *p)
{
	p->write_fraction = 2;
}
static void set_mix_over_1(GenParams *p)
{
	p->write_fraction = 0.6;
	p->rmw_fraction = 0.5;
}
static void set_lines_65(GenParams *p)
{
	p->lines = 65;
}
static void set_lines_0(GenParams *p)
{
	p->lines = 0;
}
static void set_order_11(GenParams *p)
{
	p->order = 11;
}
static void set_cores_0(GenParams *p)
{
	p->cores = 0;
}

static const ParamCase param_cases[] = {
	{ "private", set_batch,
	  "pattern private does not take --batch (it takes --write-fraction, --lines)" },
	{ "true-sharing", set_batch, "pattern true-sharing does not take --batch (it takes no "
				     "pattern options)" },
	{ "random", set_write_2, "--write-fraction must be from 0 to 1, found 2" },
	{ "random", set_mix_over_1,
	  "--write-fraction, --rmw-fraction and --compute-fraction add up to 1.1, more than 1" },
	{ "alloc-storm", set_lines_65, "--lines must be from 1 to 64 here, found 65" },
	{ "private", set_lines_0, "--lines must be from 1 to 65536 here, found 0" },
	{ "reserve-drain", set_order_11, "--order must be from 0 to 10 here, found 11" },
	{ "private", set_cores_0, "--cores must be from 1 to 1024, found 0" },
};

START_TEST(test_param_errors)
{
	const ParamCase *c = &param_cases[_i];
	GenParams p = params(2, 100, 1);
	c->set(&p);
	g_autoptr(GenWriter) w = gen_writer_new_memory(FALSE);
	g_autoptr(GError) err = NULL;
	ck_assert(!gen_write(gen_pattern_lookup(c->pattern), &p, w, &err));
	ck_assert_int_eq(err->code, GEN_ERROR_PARAM);
	ck_assert_str_eq(err->message, c->message);
}
END_TEST

/* ------------------------------------------------------------------------
 * The writer. */

static int count_entries(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	int n = 0;
	while (g_dir_read_name(d))
		n++;
	return n;
}

/* A .gz file reads back (through the reader) as the same operations. */
START_TEST(test_gzip_file)
{
	g_autofree char *dir = g_dir_make_tmp("labyrinth-gen-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "w.wl.gz", NULL);
	GenParams p = params(3, 5000, 4);
	GError *err = NULL;
	GenWriter *w = gen_writer_open(path, &err);
	ck_assert_msg(w, "%s", err ? err->message : "?");
	ck_assert(gen_write(gen_pattern_lookup("random"), &p, w, &err));
	ck_assert_int_eq(count_entries(dir), 1);       /* the temporary */
	ck_assert(!g_file_test(path, G_FILE_TEST_EXISTS)); /* not yet */
	ck_assert_msg(gen_writer_finish(w, &err), "%s", err ? err->message : "?");
	gen_writer_free(w);
	ck_assert_int_eq(count_entries(dir), 1);

	g_autofree char *raw = NULL;
	gsize raw_len;
	ck_assert(g_file_get_contents(path, &raw, &raw_len, NULL));
	ck_assert_uint_eq((guchar)raw[0], 0x1f); /* gzip magic */
	ck_assert_uint_eq((guchar)raw[1], 0x8b);

	WlInfo info;
	g_autoptr(WlFile) wl = wl_open(path, &err);
	ck_assert_msg(wl, "%s", err ? err->message : "?");
	WlLimits limits = default_limits();
	ck_assert_msg(wl_validate(wl, &limits, &info, &err), "%s", err ? err->message : "?");
	ck_assert_uint_eq(info.operations, 5000);
	ck_assert_uint_eq(info.cores, 3);
	wl_info_clear(&info);
	g_unlink(path);
	g_rmdir(dir);
}
END_TEST

/* A writer freed before it finished leaves nothing; one that cannot be
 * created says why. */
START_TEST(test_abandoned_writer)
{
	g_autofree char *dir = g_dir_make_tmp("labyrinth-gen-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "w.wl", NULL);
	GError *err = NULL;
	GenWriter *w = gen_writer_open(path, &err);
	ck_assert(w);
	GenParams p = params(2, 3000000, 1); /* more than one buffer */
	ck_assert(gen_write(gen_pattern_lookup("private"), &p, w, &err));
	ck_assert_int_eq(count_entries(dir), 1);
	gen_writer_free(w);
	ck_assert_int_eq(count_entries(dir), 0);

	g_autofree char *bad = g_build_filename(dir, "no-such-dir", "w.wl", NULL);
	g_autoptr(GError) err2 = NULL;
	ck_assert_ptr_null(gen_writer_open(bad, &err2));
	ck_assert_int_eq(err2->code, GEN_ERROR_WRITE);
	ck_assert(g_str_has_prefix(err2->message, "cannot create "));
	g_rmdir(dir);
}
END_TEST

/* A symbolic link stays a link to the new file; a FIFO (like /dev/null,
 * not a regular file) is written into, never renamed over. */
static gpointer drain_fifo(gpointer path)
{
	g_autofree char *data = NULL;
	gsize len = 0;
	g_file_get_contents(path, &data, &len, NULL);
	return GSIZE_TO_POINTER(len);
}

START_TEST(test_link_and_fifo)
{
	g_autofree char *dir = g_dir_make_tmp("labyrinth-gen-XXXXXX", NULL);
	g_autofree char *target = g_build_filename(dir, "target.wl", NULL);
	g_autofree char *link = g_build_filename(dir, "link.wl", NULL);
	ck_assert(g_file_set_contents(target, "old\n", -1, NULL));
	ck_assert_int_eq(symlink("target.wl", link), 0);
	GenParams p = params(1, 3, 1);
	GError *err = NULL;
	GenWriter *w = gen_writer_open(link, &err);
	ck_assert(w && gen_write(gen_pattern_lookup("true-sharing"), &p, w, &err) &&
		  gen_writer_finish(w, &err));
	gen_writer_free(w);
	ck_assert(g_file_test(link, G_FILE_TEST_IS_SYMLINK));
	g_autofree char *text = NULL;
	ck_assert(g_file_get_contents(target, &text, NULL, NULL));
	g_autofree char *body = strip_comments(text);
	ck_assert_str_eq(body, "%labyrinth-workload 1\n%cores 1\n%name true-sharing\n"
			       "0 ld 0x100000\n0 st 0x100000\n0 ld 0x100000\n");

	g_autofree char *fifo = g_build_filename(dir, "fifo", NULL);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	GThread *reader = g_thread_new("fifo", drain_fifo, fifo);
	w = gen_writer_open(fifo, &err);
	ck_assert_msg(w, "%s", err ? err->message : "?");
	ck_assert(gen_write(gen_pattern_lookup("true-sharing"), &p, w, &err) &&
		  gen_writer_finish(w, &err));
	gen_writer_free(w);
	ck_assert_uint_eq(GPOINTER_TO_SIZE(g_thread_join(reader)), strlen(text));
	GStatBuf st;
	ck_assert_int_eq(g_lstat(fifo, &st), 0);
	ck_assert(S_ISFIFO(st.st_mode));
	ck_assert_int_eq(count_entries(dir), 3); /* no temporary left anywhere */
	g_unlink(fifo);
	g_unlink(link);
	g_unlink(target);
	g_rmdir(dir);
}
END_TEST

Suite *suite_gen(void)
{
	Suite *s = suite_create("gen");
	TCase *tc = tcase_create("gen");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_exact_output, 0, G_N_ELEMENTS(exact_cases));
	tcase_add_test(tc, test_header_comments);
	tcase_add_loop_test(tc, test_same_seed_same_bytes, 0, (int)gen_n_patterns());
	tcase_add_loop_test(tc, test_other_seed, 0, (int)gen_n_patterns());
	tcase_add_loop_test(tc, test_valid_output, 0, (int)gen_n_patterns());
	tcase_add_test(tc, test_random_mix);
	tcase_add_test(tc, test_write_fractions);
	tcase_add_test(tc, test_false_sharing_words);
	tcase_add_test(tc, test_producer_consumer_roles);
	tcase_add_test(tc, test_fixed_shape_counts);
	tcase_add_test(tc, test_reserve_drain_phases);
	tcase_add_loop_test(tc, test_param_errors, 0, G_N_ELEMENTS(param_cases));
	tcase_add_test(tc, test_gzip_file);
	tcase_add_test(tc, test_abandoned_writer);
	tcase_add_test(tc, test_link_and_fifo);
	suite_add_tcase(s, tc);
	return s;
}
