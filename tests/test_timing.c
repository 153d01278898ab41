/* test_timing.c - timing mode against cycle counts worked out by hand from
 * the default latencies (docs/timing.md): hit 1; snoop 2; memory 100 plus
 * 64 B / 16 B per cycle = 4; cache to cache 8 plus 64 B / 32 B = 2.  So a
 * line from memory holds the bus 2 + 100 + 4 = 106 cycles, a line from a
 * cache 2 + 8 + 2 = 12, an upgrade 2.  A miss asks for the bus after the
 * 1-cycle tag check.  Also: determinism, agreement with functional mode on
 * race-free workloads, and deadlock detection. */
#include <check.h>
#include <string.h>

#include "suites.h"
#include "testutil.h"
#include "engine/functional.h"
#include "engine/timing.h"
#include "input/config.h"
#include "input/workload.h"
#include "machine/machine.h"
#include "util/histogram.h"

typedef struct {
	Config cfg;
	Machine *m;
	RunResult res;
	WlInfo info;
	WlFile *wl;
	gboolean ok;
	GError *err;
} Sim;

static BusArbitration next_arbitration = ARB_FIFO;

static void sim_run(Sim *s, const char *text, const char *proto, SimMode mode)
{
	memset(s, 0, sizeof *s);
	config_init(&s->cfg);
	s->cfg.arbitration = next_arbitration;
	g_free(s->cfg.protocol);
	s->cfg.protocol = g_strdup(proto);
	s->cfg.mode = mode;
	char *path = tu_write_temp(text, ".wl");
	s->wl = wl_open(path, &s->err);
	g_free(path);
	ck_assert_ptr_nonnull(s->wl);
	WlLimits lim = { 0, UINT64_C(1) << 40, UINT64_C(1) << 40 };
	ck_assert(wl_validate(s->wl, &lim, &s->info, &s->err));
	s->m = machine_new(&s->cfg, proto_lookup(proto), s->info.cores);
	run_result_init(&s->res, s->info.cores);
	s->ok = mode == MODE_TIMING ? timing_run(s->m, s->wl, &s->info, &s->cfg, &s->res, &s->err)
				    : functional_run(s->m, s->wl, &s->info, SCHED_ROUNDS, &s->res,
						     &s->err);
}

static void sim_clear(Sim *s)
{
	run_result_clear(&s->res);
	machine_free(s->m);
	wl_info_clear(&s->info);
	wl_free(s->wl);
	config_clear(&s->cfg);
	g_clear_error(&s->err);
}

typedef struct {
	const char *what;
	const char *proto;
	const char *text;
	uint64_t cycles;       /* the run */
	uint64_t core_cycles[2];
	uint64_t stall[2];
	uint64_t bus_busy;
} CycleRow;

static const CycleRow cycle_rows[] = {
	{ "one cold miss", "mesi", "%labyrinth-workload 1\n0 ld 0x1000\n", 107, { 107, 0 }, { 106, 0 }, 106 },
	{ "a miss then a hit", "mesi", "%labyrinth-workload 1\n0 ld 0x1000\n0 ld 0x1008\n", 108,
	  { 108, 0 }, { 106, 0 }, 106 },
	{ "compute", "mesi", "%labyrinth-workload 1\n0 compute 50\n0 ld 0x1000\n", 157, { 157, 0 },
	  { 106, 0 }, 106 },
	/* Both ask at cycle 1; core 0 wins the tie; core 1's read is then
	 * supplied by core 0's E copy: 107 + 12. */
	{ "cache-to-cache transfer", "mesi",
	  "%labyrinth-workload 1\n0 ld 0x1000\n1 ld 0x1000\n", 119, { 107, 119 }, { 106, 118 }, 118 },
	/* Two lines from memory, one after the other: 107, then 107 + 106. */
	{ "two cores contend for the bus", "mesi",
	  "%labyrinth-workload 1\n0 ld 0x1000\n1 ld 0x2000\n", 213, { 107, 213 }, { 106, 212 }, 212 },
	/* A dirty victim is flushed (2 + 4) before the fill (106) in one
	 * bus tenure. */
	{ "write-back then fill", "msi",
	  "%labyrinth-workload 1\n0 st 0x0\n0 ld 0x8000\n0 ld 0x10000\n0 ld 0x18000\n0 ld 0x20000\n"
	  "0 ld 0x28000\n0 ld 0x30000\n0 ld 0x38000\n0 ld 0x40000\n",
	  9 * 107 + 6, { 9 * 107 + 6, 0 }, { 9 * 106 + 6, 0 }, 9 * 106 + 6 },
	/* The lock hand-off of docs/timing.md, step by step there. */
	{ "lock hand-off", "mesi",
	  "%labyrinth-workload 1\n0 lock 0x8000\n1 lock 0x8000\n0 compute 10\n0 unlock 0x8000\n", 136,
	  { 121, 136 }, { 106 + 2, 132 }, 106 + 12 + 2 + 12 + 2 },
};

START_TEST(test_cycles)
{
	const CycleRow *row = &cycle_rows[_i];
	Sim s;
	sim_run(&s, row->text, row->proto, MODE_TIMING);
	ck_assert_msg(s.ok, "%s: %s", row->what, s.err ? s.err->message : "");
	ck_assert_msg(s.res.cycles == row->cycles, "%s: %llu cycles, want %llu", row->what,
		      (unsigned long long)s.res.cycles, (unsigned long long)row->cycles);
	for (unsigned c = 0; c < s.res.n_cores; c++) {
		ck_assert_msg(s.res.cores[c].cycles == row->core_cycles[c],
			      "%s: core %u finished at %llu, want %llu", row->what, c,
			      (unsigned long long)s.res.cores[c].cycles,
			      (unsigned long long)row->core_cycles[c]);
		ck_assert_msg(s.res.cores[c].stall_cycles == row->stall[c],
			      "%s: core %u stalled %llu, want %llu", row->what, c,
			      (unsigned long long)s.res.cores[c].stall_cycles,
			      (unsigned long long)row->stall[c]);
	}
	ck_assert_msg(s.res.timing->bus_busy_cycles == row->bus_busy, "%s: bus busy %llu, want %llu",
		      row->what, (unsigned long long)s.res.timing->bus_busy_cycles,
		      (unsigned long long)row->bus_busy);
	sim_clear(&s);
}
END_TEST

START_TEST(test_lock_handoff_measured)
{
	Sim s;
	sim_run(&s, cycle_rows[G_N_ELEMENTS(cycle_rows) - 1].text, "mesi", MODE_TIMING);
	ck_assert(s.ok);
	ck_assert_uint_eq(s.res.cores[0].lock_acquires, 1);
	ck_assert_uint_eq(s.res.cores[1].lock_acquires, 1);
	ck_assert_uint_eq(s.res.cores[0].lock_wait_cycles, 108); /* 0 -> acquired at 108 */
	ck_assert_uint_eq(s.res.cores[1].lock_wait_cycles, 136);
	ck_assert_uint_eq(s.res.timing->lock_handoffs, 1);
	/* Core 1: a miss, a spinning hit, a miss after the release, the
	 * upgrade of its exchange: 3 loads, 1 rmw. */
	ck_assert_uint_eq(machine_core_access_stats(s.m, 1)->loads, 3);
	ck_assert_uint_eq(machine_core_access_stats(s.m, 1)->rmws, 1);
	ck_assert_uint_eq(machine_cache_stats(s.m, 1)->hits, 2);
	sim_clear(&s);
}
END_TEST

/* Disjoint data and barrier-separated phases: no races, so every count
 * equals functional mode's. */
static const char *const race_free[] = {
	"%labyrinth-workload 1\n0 st 0x1000 1\n1 st 0x2000 2\n0 ld 0x1000 =1\n1 ld 0x2000 =2\n"
	"0 rmw add 0x1008 3\n1 rmw xchg 0x2008 4\n2 ld 0x3000\n2 st 0x3000\n",
	"%labyrinth-workload 1\n0 st 0x9000 10\n1 st 0x9008 11\n2 st 0x9010 12\n"
	"0 barrier\n1 barrier\n2 barrier\n0 ld 0x9008 =11\n1 ld 0x9010 =12\n2 ld 0x9000 =10\n"
	"0 barrier\n1 barrier\n2 barrier\n1 st 0x9000 5\n0 barrier\n1 barrier\n2 barrier\n"
	"0 ld 0x9000 =5\n2 ld 0x9000 =5\n",
};

START_TEST(test_timing_matches_functional)
{
	static const char *const protos[] = { "msi", "mesi", "moesi", "mesif", "dragon" };
	for (int p = 0; p < 5; p++) {
		Sim f, t;
		sim_run(&f, race_free[_i], protos[p], MODE_FUNCTIONAL);
		sim_run(&t, race_free[_i], protos[p], MODE_TIMING);
		ck_assert_msg(f.ok && t.ok, "%s", protos[p]);
		for (unsigned c = 0; c < f.res.n_cores; c++)
			ck_assert_msg(memcmp(machine_cache_stats(f.m, c), machine_cache_stats(t.m, c),
					     sizeof(CacheStats)) == 0,
				      "%s: cache %u differs", protos[p], c);
		ck_assert(memcmp(machine_bus_stats(f.m), machine_bus_stats(t.m), sizeof(BusStats)) == 0);
		ck_assert(memcmp(machine_mem_stats(f.m), machine_mem_stats(t.m), sizeof(MemStats)) == 0);
		ck_assert_uint_eq(f.res.operations, t.res.operations);
		sim_clear(&f);
		sim_clear(&t);
	}
}
END_TEST

START_TEST(test_deterministic)
{
	const char *text = "%labyrinth-workload 1\n0 lock 0x100\n1 lock 0x100\n2 lock 0x100\n"
			   "0 rmw add 0x140 1\n1 rmw add 0x140 1\n2 rmw add 0x140 1\n"
			   "0 unlock 0x100\n1 unlock 0x100\n2 unlock 0x100\n2 ld 0x140 =3\n";
	Sim a, b;
	sim_run(&a, text, "moesi", MODE_TIMING);
	sim_run(&b, text, "moesi", MODE_TIMING);
	ck_assert(a.ok && b.ok);
	ck_assert_uint_eq(a.res.cycles, b.res.cycles);
	for (unsigned c = 0; c < 3; c++) {
		ck_assert(memcmp(&a.res.cores[c], &b.res.cores[c], sizeof(CoreRunStats)) == 0);
		ck_assert(memcmp(machine_cache_stats(a.m, c), machine_cache_stats(b.m, c),
				 sizeof(CacheStats)) == 0);
	}
	ck_assert_uint_eq(a.res.cores[0].lock_acquires + a.res.cores[1].lock_acquires +
				  a.res.cores[2].lock_acquires,
			  3);
	sim_clear(&a);
	sim_clear(&b);
}
END_TEST

START_TEST(test_deadlock_detected)
{
	/* Core 0 finishes holding the lock; core 1 spins forever. */
	Sim s;
	sim_run(&s, "%labyrinth-workload 1\n0 lock 0x2000\n1 compute 5\n1 lock 0x2000\n", "mesi",
		MODE_TIMING);
	ck_assert(!s.ok);
	ck_assert(g_error_matches(s.err, SIM_ERROR, SIM_ERROR_DEADLOCK));
	ck_assert_ptr_nonnull(strstr(s.err->message, "lock 0x2000"));
	ck_assert_ptr_nonnull(strstr(s.err->message, "held by core 0, which has finished"));
	sim_clear(&s);

	/* The holder waits at a barrier the spinner never reaches. */
	sim_run(&s, "%labyrinth-workload 1\n0 lock 0x2000\n0 barrier\n1 lock 0x2000\n1 barrier\n",
		"dragon", MODE_TIMING);
	ck_assert(!s.ok);
	ck_assert_ptr_nonnull(strstr(s.err->message, "is waiting at a barrier"));
	sim_clear(&s);
}
END_TEST

START_TEST(test_arbitration)
{
	/* Core 1 asks at cycle 1 and gets the bus until 107.  Cores 0 and 2
	 * both ask at cycle 2.  FIFO breaks the tie by core id (core 0 next);
	 * round-robin goes on from the last winner (core 2 next). */
	const char *text = "%labyrinth-workload 1\n1 ld 0x1000\n0 compute 1\n0 ld 0x2000\n"
			   "2 compute 1\n2 ld 0x3000\n";
	Sim s;
	sim_run(&s, text, "mesi", MODE_TIMING);
	ck_assert_uint_eq(s.res.cores[1].cycles, 107);
	ck_assert_uint_eq(s.res.cores[0].cycles, 213);
	ck_assert_uint_eq(s.res.cores[2].cycles, 319);
	ck_assert_uint_eq(hist_max(s.res.timing->bus_queue_delay), 213 - 2);
	sim_clear(&s);

	next_arbitration = ARB_ROUND_ROBIN;
	sim_run(&s, text, "mesi", MODE_TIMING);
	next_arbitration = ARB_FIFO;
	ck_assert_uint_eq(s.res.cores[1].cycles, 107);
	ck_assert_uint_eq(s.res.cores[2].cycles, 213);
	ck_assert_uint_eq(s.res.cores[0].cycles, 319);
	sim_clear(&s);
}
END_TEST

Suite *suite_timing(void)
{
	Suite *s = suite_create("timing");
	TCase *tc = tcase_create("engine");
	tcase_add_loop_test(tc, test_cycles, 0, G_N_ELEMENTS(cycle_rows));
	tcase_add_test(tc, test_lock_handoff_measured);
	tcase_add_loop_test(tc, test_timing_matches_functional, 0, G_N_ELEMENTS(race_free));
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_deadlock_detected);
	tcase_add_test(tc, test_arbitration);
	suite_add_tcase(s, tc);
	return s;
}
