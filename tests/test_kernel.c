/* test_kernel.c - the simulated kernel page allocator (sim/kernel/):
 * boot, buddy split and merge, watermarks and reserves, per-CPU refill
 * and drain, the zone lock kinds under contention, the exclusive claim and
 * what each cache holds afterwards, page locks, bad frees, the invariant
 * check against a deliberately broken claim, and the functional engine's
 * kernel calls end to end.
 *
 * Every expected number is worked out by hand in the comment above it.
 * The zones are small: 16 pages boot as one free block of order 4 at
 * pfn 0, so an allocation from a fresh zone always splits that block in
 * the same way: __rmqueue_smallest() gives back the upper halves 8 (order
 * 3), 4 (order 2), 2 (order 1), 1 (order 0) and returns pfn 0.
 */
#include <check.h>
#include <string.h>

#include "suites.h"
#include "testutil.h"
#include "engine/engine.h"
#include "engine/functional.h"
#include "input/config.h"
#include "input/workload.h"
#include "kernel/kernel.h"
#include "machine/machine.h"

typedef struct {
	Config cfg;
	Machine *m;
	Kernel *k;
	const KLayout *l;
	uint64_t now; /* advanced by one per access */
} KT;

typedef struct {
	uint64_t pages, min, low, high;
	unsigned batch, pcp_high;
	AllocPolicy policy;
	AllocLock lock;
	AllocClaim claim;
	unsigned cores;
} KTSetup;

static void kt_init(KT *t, const KTSetup *s)
{
	memset(t, 0, sizeof *t);
	config_init(&t->cfg);
	t->cfg.cores = s->cores;
	t->cfg.zone_pages = s->pages;
	t->cfg.min_free = s->min;
	t->cfg.wmark_low = s->low;
	t->cfg.wmark_high = s->high;
	t->cfg.batch = s->batch;
	t->cfg.pcp_high = s->pcp_high;
	t->cfg.alloc_policy = s->policy;
	t->cfg.alloc_lock = s->lock;
	t->cfg.alloc_claim = s->claim;
	g_autoptr(GError) err = NULL;
	ck_assert_msg(config_validate(&t->cfg, &err), "%s", err ? err->message : "");
	t->m = machine_new(&t->cfg, proto_lookup("mesi"), s->cores);
	t->k = kernel_new(&t->cfg, t->m, &err);
	ck_assert_msg(t->k, "%s", err ? err->message : "");
	t->l = kernel_get_layout(t->k);
}

static void kt_clear(KT *t)
{
	kernel_free(t->k);
	machine_free(t->m);
	config_clear(&t->cfg);
}

/* Steps core's call until it is done, spins or sleeps. */
static KStep kt_run(KT *t, unsigned core)
{
	for (;;) {
		KAccess acc;
		KStep s = kernel_next(t->k, core, &acc);
		if (s != KSTEP_ACCESS)
			return s;
		uint64_t v = kernel_perform(t->m, core, &acc);
		g_autoptr(GError) err = NULL;
		ck_assert_msg(kernel_complete(t->k, core, v, ++t->now, &err), "%s", err->message);
	}
}

/* Steps core's call by exactly one access. */
static void kt_step(KT *t, unsigned core)
{
	KAccess acc;
	ck_assert_int_eq(kernel_next(t->k, core, &acc), KSTEP_ACCESS);
	uint64_t v = kernel_perform(t->m, core, &acc);
	ck_assert(kernel_complete(t->k, core, v, ++t->now, NULL));
}

static uint64_t kt_alloc(KT *t, unsigned core, uint32_t gfp, unsigned order)
{
	kernel_begin_alloc(t->k, core, gfp, order, t->now);
	ck_assert_int_eq(kt_run(t, core), KSTEP_DONE);
	return kernel_result(t->k, core);
}

static void kt_free(KT *t, unsigned core, uint64_t page)
{
	g_autoptr(GError) err = NULL;
	ck_assert_msg(kernel_begin_free(t->k, core, page, t->now, &err), "%s", err->message);
	ck_assert_int_eq(kt_run(t, core), KSTEP_DONE);
}

static uint64_t frame(const KT *t, uint64_t pfn)
{
	return t->l->frames + pfn * KERNEL_PAGE_SIZE;
}

static uint64_t peek(const KT *t, uint64_t addr)
{
	return machine_peek_word(t->m, addr);
}

static uint64_t nr_free_pages(const KT *t)
{
	return peek(t, t->l->vmstat);
}

static uint64_t nr_free(const KT *t, unsigned order)
{
	return peek(t, t->l->free_area + order * KERNEL_FREE_AREA_STRIDE + KL_FA_NR_FREE);
}

/* A zone of 16 pages, watermarks 2/3/4, global policy, 2 cores. */
static const KTSetup small_global = {
	.pages = 16, .min = 2, .low = 3, .high = 4, .policy = ALLOC_POLICY_GLOBAL, .cores = 2
};

START_TEST(test_boot_layout_and_defaults)
{
	/* The kernel's formulas for the default zone of 4096 pages (16 MiB)
	 * and 4 cores: min_free_kbytes = sqrt(16 * 16384) = 512 KiB = 128
	 * pages; tmp = max(128 / 4, 4096 / 1000) = 32; low 160, high 192;
	 * batch = (4096 >> 10) / 4 = 1, 1 + 0 = 1 -> 2^0 - 1 = 0 -> 1;
	 * pcp high = max(160 / 4, 4 * 1) = 40.  The zone boots as four free
	 * blocks of order 10, and NR_FREE_PAGES reads 4096. */
	KT t;
	kt_init(&t, &(KTSetup){ .pages = 4096, .policy = ALLOC_POLICY_PCP, .cores = 4 });
	KZoneInfo zi;
	kernel_zone_info(t.k, &zi);
	ck_assert_uint_eq(zi.min, 128);
	ck_assert_uint_eq(zi.low, 160);
	ck_assert_uint_eq(zi.high, 192);
	ck_assert_uint_eq(zi.batch, 1);
	ck_assert_uint_eq(zi.pcp_high, 40);
	ck_assert_uint_eq(zi.buddy_pages, 4096);
	ck_assert_uint_eq(nr_free_pages(&t), 4096);
	ck_assert_uint_eq(nr_free(&t, 10), 4);
	ck_assert_uint_eq(peek(&t, t.l->wmark + KL_WMARK_MIN), 128);
	ck_assert_uint_eq(peek(&t, (t.l->pcp + 3 * t.l->kline) + KL_PCP_HIGH), 40);
	/* The frames end where memory ends; everything sits above the base. */
	ck_assert_uint_eq(t.l->frames + 4096 * KERNEL_PAGE_SIZE, t.cfg.mem_size);
	ck_assert_uint_eq(t.l->base, kernel_region_base(&t.cfg));
	ck_assert(t.l->base == t.l->wmark && t.l->vmstat < t.l->pcp && t.l->pcp < t.l->mem_map &&
		  t.l->mem_map < t.l->frames);
	kt_clear(&t);

	/* 1 GiB: batch = min(262144 >> 10, 256) / 4 = 64, 64 + 32 = 96 ->
	 * 64 - 1 = 63.  min_free_kbytes = sqrt(16 * 1048576) = 4096 KiB =
	 * 1024 pages; tmp = max(256, 262) = 262: low 1286, high 1548. */
	kt_init(&t, &(KTSetup){ .pages = 262144, .policy = ALLOC_POLICY_PCP, .cores = 2 });
	kernel_zone_info(t.k, &zi);
	ck_assert_uint_eq(zi.batch, 63);
	ck_assert_uint_eq(zi.min, 1024);
	ck_assert_uint_eq(zi.low, 1286);
	ck_assert_uint_eq(zi.high, 1548);
	ck_assert_uint_eq(zi.pcp_high, 643); /* max(1286 / 2, 4 * 63) */
	kt_clear(&t);
}
END_TEST

START_TEST(test_small_zone_needs_explicit_watermarks)
{
	/* 16 pages derive min = 128 KiB (the clamp) = 32 pages > the zone. */
	Config cfg;
	config_init(&cfg);
	cfg.zone_pages = 16;
	Machine *m = machine_new(&cfg, proto_lookup("mesi"), 1);
	g_autoptr(GError) err = NULL;
	ck_assert_ptr_null(kernel_new(&cfg, m, &err));
	ck_assert(g_error_matches(err, KERNEL_ERROR, KERNEL_ERROR_CONFIG));
	ck_assert_ptr_nonnull(strstr(err->message, "min 32, low 40, high 48"));
	machine_free(m);
	config_clear(&cfg);
}
END_TEST

START_TEST(test_buddy_split_and_merge)
{
	KT t;
	kt_init(&t, &small_global);
	/* Order 0 splits the order-4 block: 8 (o3), 4 (o2), 2 (o1), 1 (o0)
	 * stay free; pfn 0 is returned. */
	ck_assert_uint_eq(kt_alloc(&t, 0, WL_GFP_KERNEL, 0), frame(&t, 0));
	ck_assert_uint_eq(nr_free(&t, 0), 1);
	ck_assert_uint_eq(nr_free(&t, 1), 1);
	ck_assert_uint_eq(nr_free(&t, 2), 1);
	ck_assert_uint_eq(nr_free(&t, 3), 1);
	ck_assert_uint_eq(nr_free(&t, 4), 0);
	ck_assert_uint_eq(nr_free_pages(&t), 15);
	/* Order 1 takes the free order-1 block at pfn 2 as it is. */
	ck_assert_uint_eq(kt_alloc(&t, 0, WL_GFP_KERNEL, 1), frame(&t, 2));
	/* Order 1 again: no order-1 block is left, so the order-2 block at 4
	 * splits: 6 goes on the order-1 list, 4 is returned. */
	ck_assert_uint_eq(kt_alloc(&t, 1, WL_GFP_KERNEL, 1), frame(&t, 4));
	ck_assert_uint_eq(kernel_page_order(t.k, frame(&t, 4)), 1);
	ck_assert_uint_eq(nr_free(&t, 1), 1);
	ck_assert_uint_eq(nr_free(&t, 2), 0);
	ck_assert_uint_eq(nr_free_pages(&t), 11); /* 16 - 1 - 2 - 2 */
	/* The split touched 6's struct page: PG_buddy, order 1. */
	uint64_t sp6 = t.l->mem_map + 6 * KERNEL_STRUCT_PAGE;
	ck_assert_uint_eq(peek(&t, sp6 + KL_PAGE_FLAGS), 2);
	ck_assert_uint_eq(peek(&t, sp6 + KL_PAGE_PRIVATE), 1);
	ck_assert_uint_eq(peek(&t, t.l->mem_map + 4 * KERNEL_STRUCT_PAGE + KL_PAGE_REFCOUNT), 1);

	/* Freeing 4 (order 1) merges with its free buddy 6 into an order-2
	 * block at 4; that one's buddy 0 is allocated, so it stops there. */
	kt_free(&t, 1, frame(&t, 4));
	ck_assert_uint_eq(nr_free(&t, 1), 0);
	ck_assert_uint_eq(nr_free(&t, 2), 1);
	ck_assert_uint_eq(nr_free_pages(&t), 13);
	/* Freeing 2 (order 1): its buddy 0 is allocated, no merge. */
	kt_free(&t, 0, frame(&t, 2));
	ck_assert_uint_eq(nr_free(&t, 1), 1);
	/* Freeing 0 merges with 1 (o0), then 2 (o1), then 4 (o2), then 8
	 * (o3): the zone is one order-4 block again. */
	kt_free(&t, 0, frame(&t, 0));
	for (unsigned o = 0; o < 4; o++)
		ck_assert_uint_eq(nr_free(&t, o), 0);
	ck_assert_uint_eq(nr_free(&t, 4), 1);
	ck_assert_uint_eq(nr_free_pages(&t), 16);
	/* The list head of order 4 points at pfn 0's struct page. */
	ck_assert_uint_eq(peek(&t, t.l->free_area + 4 * KERNEL_FREE_AREA_STRIDE),
			  t.l->mem_map + KL_PAGE_LRU);
	const KStats *st = kernel_stats(t.k);
	ck_assert_uint_eq(st->allocs, 3);
	ck_assert_uint_eq(st->frees, 3);
	ck_assert_uint_eq(st->buddy_allocs, 3);
	/* Global policy: every call takes the zone lock once. */
	ck_assert_uint_eq(st->lock_acquisitions, 6);
	kt_clear(&t);
}
END_TEST

START_TEST(test_watermarks_and_reserves)
{
	/* 16 pages, min 8, low 10, high 12.  A request passes while the free
	 * count is above its floor: low 10 on the fast path; min 8 for
	 * GFP_NOWAIT; GFP_ATOMIC 8 - 4 = 4, then 4 - 4/4 = 3; GFP_KERNEL 8
	 * (__GFP_HIGH would give it 4, not 3: it can block). */
	KT t;
	kt_init(&t, &(KTSetup){ .pages = 16, .min = 8, .low = 10, .high = 12,
				.policy = ALLOC_POLICY_GLOBAL, .cores = 2 });
	uint64_t pages[16];
	int n = 0;
	/* Free 16 .. 9: GFP_NOWAIT succeeds eight times (at 10 and 9 through
	 * the slow path), no dip. */
	for (int i = 0; i < 8; i++)
		ck_assert_uint_ne(pages[n++] = kt_alloc(&t, 0, WL_GFP_NOWAIT, 0), 0);
	const KStats *st = kernel_stats(t.k);
	ck_assert_uint_eq(nr_free_pages(&t), 8);
	ck_assert_uint_eq(st->slowpath, 2);
	ck_assert_uint_eq(st->reserve_dips, 0);
	/* At 8: GFP_NOWAIT fails at once. */
	ck_assert_uint_eq(kt_alloc(&t, 0, WL_GFP_NOWAIT, 0), 0);
	ck_assert_uint_eq(st->failures, 1);
	/* GFP_ATOMIC succeeds at 8, 7, 6, 5, 4: five dips into the reserve. */
	for (int i = 0; i < 5; i++)
		ck_assert_uint_ne(pages[n++] = kt_alloc(&t, 1, WL_GFP_ATOMIC, 0), 0);
	ck_assert_uint_eq(st->reserve_dips, 5);
	ck_assert_uint_eq(nr_free_pages(&t), 3);
	/* At 3 both fail. */
	ck_assert_uint_eq(kt_alloc(&t, 1, WL_GFP_ATOMIC, 0), 0);
	ck_assert_uint_eq(kt_alloc(&t, 0, WL_GFP_NOWAIT, 0), 0);
	ck_assert_uint_eq(st->failures, 3);
	ck_assert_uint_eq(st->allocs, 13);

	/* GFP_KERNEL at 3 sleeps (its floor is 8), and stays asleep without
	 * touching memory until a free. */
	kernel_begin_alloc(t.k, 1, WL_GFP_KERNEL, 0, t.now);
	ck_assert_int_eq(kt_run(&t, 1), KSTEP_BLOCKED);
	uint64_t slept_at = t.now; /* its last access */
	uint64_t gen = kernel_free_generation(t.k);
	KAccess acc;
	ck_assert_int_eq(kernel_next(t.k, 1, &acc), KSTEP_BLOCKED);
	ck_assert_uint_eq(st->sleeps, 1);
	/* Six frees bring the zone to 9 free pages. */
	for (int i = 0; i < 6; i++)
		kt_free(&t, 0, pages[--n]);
	ck_assert_uint_eq(kernel_free_generation(t.k), gen + 6);
	ck_assert_uint_eq(nr_free_pages(&t), 9);
	/* Awake: 9 fails low (10) but passes min (8): a page, no dip. */
	uint64_t before_wake = t.now;
	ck_assert_int_eq(kt_run(&t, 1), KSTEP_DONE);
	ck_assert_uint_ne(kernel_result(t.k, 1), 0);
	ck_assert_uint_eq(st->sleeps, 1);
	ck_assert_uint_eq(st->reserve_dips, 5);
	/* Slept from its last access before sleeping to its first one after,
	 * the frees' accesses in between. */
	ck_assert_uint_eq(st->sleep_cycles, before_wake + 1 - slept_at);
	ck_assert_uint_eq(nr_free_pages(&t), 8);
	kt_clear(&t);
}
END_TEST

START_TEST(test_higher_order_watermark)
{
	/* Order 2 leaves 2^2 - 1 = 3 pages out of the count: with 16 free and
	 * low 10, 16 - 3 = 13 > 10 passes; then 12 - 3 = 9 fails low, and
	 * GFP_NOWAIT's min 8 still passes; then 8 - 3 = 5 fails. */
	KT t;
	kt_init(&t, &(KTSetup){ .pages = 16, .min = 8, .low = 10, .high = 12,
				.policy = ALLOC_POLICY_GLOBAL, .cores = 1 });
	ck_assert_uint_eq(kt_alloc(&t, 0, WL_GFP_NOWAIT, 2), frame(&t, 0));
	ck_assert_uint_eq(kt_alloc(&t, 0, WL_GFP_NOWAIT, 2), frame(&t, 4));
	ck_assert_uint_eq(kt_alloc(&t, 0, WL_GFP_NOWAIT, 2), 0);
	/* GFP_ATOMIC: 8 - 3 = 5 > 3, and the order-3 block at 8 splits. */
	ck_assert_uint_eq(kt_alloc(&t, 0, WL_GFP_ATOMIC, 2), frame(&t, 8));
	ck_assert_uint_eq(kernel_stats(t.k)->reserve_dips, 1);
	kt_clear(&t);
}
END_TEST

START_TEST(test_pcp_refill_and_drain)
{
	/* Policy pcp, batch 2, high 4, one core.
	 * alloc: list empty -> rmqueue_bulk moves 0 and 1 (the split leaves
	 *        8, 4, 2 free), returns 0; count 1.
	 * alloc: pcp hit, 1; count 0.
	 * alloc: refill: 2 splits into 2 and 3; returns 2; count 1 (3).
	 * NR_FREE_PAGES counts the buddy lists only: 16 - 4 = 12. */
	KT t;
	kt_init(&t, &(KTSetup){ .pages = 16, .min = 2, .low = 3, .high = 4, .batch = 2,
				.pcp_high = 4, .policy = ALLOC_POLICY_PCP, .cores = 1 });
	ck_assert_uint_eq(kt_alloc(&t, 0, WL_GFP_KERNEL, 0), frame(&t, 0));
	ck_assert_uint_eq(kt_alloc(&t, 0, WL_GFP_KERNEL, 0), frame(&t, 1));
	ck_assert_uint_eq(kt_alloc(&t, 0, WL_GFP_KERNEL, 0), frame(&t, 2));
	const KStats *st = kernel_stats(t.k);
	ck_assert_uint_eq(st->refills, 2);
	ck_assert_uint_eq(st->pages_refilled, 4);
	ck_assert_uint_eq(st->pcp_hits, 1);
	ck_assert_uint_eq(st->refills_on_alloc, 2);
	ck_assert_uint_eq(kernel_pcp_count(t.k, 0), 1);
	ck_assert_uint_eq(nr_free_pages(&t), 12);
	uint64_t pcp = t.l->pcp;
	ck_assert_uint_eq(peek(&t, pcp + KL_PCP_COUNT), 1);
	/* Frees push at the head: [0, 3], [1, 0, 3], then [2, 1, 0, 3] makes
	 * count 4 >= high: drain batch 2 from the tail: 3, then 0, back to
	 * the buddy lists (their buddies 2 and 1 are on the per-CPU list, so
	 * nothing merges): NR_FREE_PAGES 14, count 2. */
	kt_free(&t, 0, frame(&t, 0));
	kt_free(&t, 0, frame(&t, 1));
	ck_assert_uint_eq(st->drains, 0);
	kt_free(&t, 0, frame(&t, 2));
	ck_assert_uint_eq(st->drains, 1);
	ck_assert_uint_eq(st->pages_drained, 2);
	ck_assert_uint_eq(kernel_pcp_count(t.k, 0), 2);
	ck_assert_uint_eq(peek(&t, pcp + KL_PCP_COUNT), 2);
	ck_assert_uint_eq(nr_free_pages(&t), 14);
	ck_assert_uint_eq(nr_free(&t, 0), 2);
	/* The hottest page, the last freed, comes back first. */
	ck_assert_uint_eq(kt_alloc(&t, 0, WL_GFP_KERNEL, 0), frame(&t, 2));
	ck_assert_uint_eq(st->pcp_hits, 2);
	/* Two refills and one drain took the zone lock; pcp hits did not. */
	ck_assert_uint_eq(st->lock_acquisitions, 3);
	kt_clear(&t);
}
END_TEST

/* The state index of M in MESI. */
static int state_m(const KT *t)
{
	return machine_protocol(t->m)->writable_state;
}

START_TEST(test_claim_zero_cross_core)
{
	/* Core 1 allocates pfn 0 and writes every line; it frees it (merging
	 * back into the order-4 block); core 0's allocation gets pfn 0 again.
	 * Core 0's claim invalidates the 64 lines core 1 holds dirty: 64
	 * claim invalidations, and core 1's cache no longer has any of them.
	 * With claim = zero no data moves (BusInv) and every word reads 0. */
	KT t;
	kt_init(&t, &small_global);
	uint64_t p = kt_alloc(&t, 1, WL_GFP_KERNEL, 0);
	ck_assert_uint_eq(p, frame(&t, 0));
	for (unsigned i = 0; i < 64; i++) {
		ck_assert_int_eq(machine_line_state(t.m, 1, p + i * 64), state_m(&t));
		ck_assert_int_eq(machine_line_state(t.m, 0, p + i * 64), 0);
		machine_access(t.m, 1, ACC_STORE, p + i * 64 + 8, i + 1, 0);
	}
	/* Core 1's own claim found no other copy. */
	ck_assert_uint_eq(kernel_stats(t.k)->inv[0][1], 0);
	kt_free(&t, 1, p);
	uint64_t inv_before = machine_cache_stats(t.m, 1)->invalidations_received;
	uint64_t businv = machine_bus_stats(t.m)->txns[BUS_INV];
	ck_assert_uint_eq(kt_alloc(&t, 0, WL_GFP_ATOMIC, 0), p);
	const KStats *st = kernel_stats(t.k);
	ck_assert_uint_eq(st->inv[0][1], 64);
	ck_assert_uint_eq(st->c2c[0][1], 0);
	ck_assert_uint_eq(machine_bus_stats(t.m)->txns[BUS_INV] - businv, 64);
	/* 64 claim invalidations plus the struct page line (refcount) and
	 * other metadata core 0 took from core 1. */
	ck_assert_uint_ge(machine_cache_stats(t.m, 1)->invalidations_received - inv_before, 64);
	for (unsigned i = 0; i < 64; i++) {
		ck_assert_int_eq(machine_line_state(t.m, 0, p + i * 64), state_m(&t));
		ck_assert_int_eq(machine_line_state(t.m, 1, p + i * 64), 0);
		for (unsigned w = 0; w < 8; w++)
			ck_assert_uint_eq(peek(&t, p + i * 64 + w * 8), 0);
	}
	kt_clear(&t);
}
END_TEST

START_TEST(test_claim_rfo_keeps_contents)
{
	/* The same with claim = rfo: each line is fetched for ownership from
	 * core 1 (64 BusRdX, 64 cache-to-cache transfers, 64 invalidations),
	 * and the old contents stay. */
	KTSetup s = small_global;
	s.claim = ALLOC_CLAIM_RFO;
	KT t;
	kt_init(&t, &s);
	uint64_t p = kt_alloc(&t, 1, WL_GFP_KERNEL, 0);
	for (unsigned i = 0; i < 64; i++)
		machine_access(t.m, 1, ACC_STORE, p + i * 64 + 8, i + 1, 0);
	kt_free(&t, 1, p);
	ck_assert_uint_eq(kt_alloc(&t, 0, WL_GFP_KERNEL, 0), p);
	const KStats *st = kernel_stats(t.k);
	ck_assert_uint_eq(st->inv[0][1], 64);
	ck_assert_uint_eq(st->c2c[0][1], 64);
	for (unsigned i = 0; i < 64; i++) {
		uint64_t v;
		ck_assert_int_eq(machine_line_state(t.m, 1, p + i * 64), 0);
		ck_assert(machine_peek_cached(t.m, 0, p + i * 64 + 8, &v));
		ck_assert_uint_eq(v, i + 1);
	}
	/* __GFP_ZERO zeroes even under claim = rfo. */
	kt_free(&t, 0, p);
	ck_assert_uint_eq(kt_alloc(&t, 1, WL_GFP_KERNEL | WL_GFP_ZERO, 0), p);
	ck_assert_uint_eq(peek(&t, p + 8), 0);
	ck_assert_uint_eq(st->c2c[0][1], 64);
	kt_clear(&t);
}
END_TEST

START_TEST(test_broken_claim_is_caught)
{
	/* Core 1 holds every line of pfn 0 in M when core 0 allocates it
	 * with the claim switched off: the invariant names the page, core 0,
	 * and the first line's wrong state. */
	KT t;
	kt_init(&t, &small_global);
	uint64_t p = kt_alloc(&t, 1, WL_GFP_KERNEL, 0);
	kt_free(&t, 1, p);
	kernel_debug_break_claim(t.k);
	kernel_begin_alloc(t.k, 0, WL_GFP_KERNEL, 0, t.now);
	g_autoptr(GError) err = NULL;
	for (;;) {
		KAccess acc;
		ck_assert_int_eq(kernel_next(t.k, 0, &acc), KSTEP_ACCESS);
		ck_assert_int_ne(acc.kind, KOP_CLAIM_ZERO);
		uint64_t v = kernel_perform(t.m, 0, &acc);
		if (!kernel_complete(t.k, 0, v, ++t.now, &err))
			break;
	}
	ck_assert(g_error_matches(err, KERNEL_ERROR, KERNEL_ERROR_INVARIANT));
	g_autofree char *page = g_strdup_printf("page 0x%" G_GINT64_MODIFIER "x", p);
	ck_assert_msg(strstr(err->message, page), "%s", err->message);
	ck_assert_ptr_nonnull(strstr(err->message, "core 0 allocated"));
	kt_clear(&t);
}
END_TEST

START_TEST(test_lock_kinds_under_contention)
{
	/* Core 0 takes the zone lock; core 1, started while core 0 holds it,
	 * spins; core 0 finishes; core 1 then acquires.  Two acquisitions,
	 * one contended, one hand-off (0 -> 1); wait > 0. */
	for (int kind = 0; kind < 2; kind++) {
		KTSetup s = small_global;
		s.lock = kind ? ALLOC_LOCK_TTAS : ALLOC_LOCK_TICKET;
		KT t;
		kt_init(&t, &s);
		const KStats *st = kernel_stats(t.k);
		kernel_begin_alloc(t.k, 0, WL_GFP_KERNEL, 0, t.now);
		while (st->lock_acquisitions == 0)
			kt_step(&t, 0);
		kernel_begin_alloc(t.k, 1, WL_GFP_KERNEL, 0, t.now);
		ck_assert_int_eq(kt_run(&t, 1), KSTEP_SPIN);
		ck_assert_int_eq(kt_run(&t, 1), KSTEP_SPIN); /* still held */
		ck_assert_int_eq(kt_run(&t, 0), KSTEP_DONE);
		ck_assert_int_eq(kt_run(&t, 1), KSTEP_DONE);
		ck_assert_uint_eq(kernel_result(t.k, 0), frame(&t, 0));
		ck_assert_uint_eq(kernel_result(t.k, 1), frame(&t, 1));
		ck_assert_uint_eq(st->lock_acquisitions, 2);
		ck_assert_uint_eq(st->lock_contended, 1);
		ck_assert_uint_eq(st->lock_handoffs, 1);
		ck_assert_uint_gt(st->lock_wait_cycles, 0);
		ck_assert_uint_gt(st->lock_hold_cycles, 0);
		/* Ticket: next and owner both 2 after two lock/unlock pairs;
		 * ttas: the word is 0 again. */
		if (kind == 0) {
			ck_assert_uint_eq(peek(&t, t.l->lock + KL_LOCK_NEXT), 2);
			ck_assert_uint_eq(peek(&t, t.l->lock + KL_LOCK_OWNER), 2);
		} else {
			ck_assert_uint_eq(peek(&t, t.l->lock + KL_LOCK_NEXT), 0);
		}
		kt_clear(&t);
	}
}
END_TEST

START_TEST(test_page_lock)
{
	KT t;
	kt_init(&t, &small_global);
	uint64_t p = kt_alloc(&t, 0, WL_GFP_KERNEL, 0);
	uint64_t flags = t.l->mem_map + KL_PAGE_FLAGS; /* pfn 0 */
	g_autoptr(GError) err = NULL;
	ck_assert(kernel_begin_lock_page(t.k, 0, p, t.now, &err));
	ck_assert_int_eq(kt_run(&t, 0), KSTEP_DONE);
	ck_assert_uint_eq(peek(&t, flags), 1); /* PG_locked */
	/* Another core tries: test sees it set, spins (the test loads only). */
	ck_assert(kernel_begin_lock_page(t.k, 1, p, t.now, &err));
	ck_assert_int_eq(kt_run(&t, 1), KSTEP_SPIN);
	/* A locked page cannot be freed. */
	ck_assert(!kernel_begin_free(t.k, 0, p, t.now, &err));
	ck_assert(g_error_matches(err, KERNEL_ERROR, KERNEL_ERROR_BAD_FREE));
	ck_assert_ptr_nonnull(strstr(err->message, "locked"));
	g_clear_error(&err);
	ck_assert(kernel_begin_unlock_page(t.k, 0, p, t.now, &err));
	ck_assert_int_eq(kt_run(&t, 0), KSTEP_DONE);
	ck_assert_uint_eq(peek(&t, flags), 0);
	ck_assert_int_eq(kt_run(&t, 1), KSTEP_DONE);
	ck_assert_uint_eq(peek(&t, flags), 1);
	const KStats *st = kernel_stats(t.k);
	ck_assert_uint_eq(st->page_lock_acquisitions, 2);
	ck_assert_uint_eq(st->page_lock_contended, 1);
	ck_assert_uint_gt(st->page_lock_wait_cycles, 0);
	ck_assert(kernel_begin_unlock_page(t.k, 1, p, t.now, &err));
	ck_assert_int_eq(kt_run(&t, 1), KSTEP_DONE);
	/* Unlocking an unlocked page is an error. */
	ck_assert(!kernel_begin_unlock_page(t.k, 1, p, t.now, &err));
	ck_assert(g_error_matches(err, KERNEL_ERROR, KERNEL_ERROR_BAD_PAGE_LOCK));
	kt_clear(&t);
}
END_TEST

START_TEST(test_bad_frees)
{
	KT t;
	kt_init(&t, &small_global);
	g_autoptr(GError) err = NULL;
	/* No page at all. */
	ck_assert(!kernel_begin_free(t.k, 0, 0, t.now, &err));
	ck_assert(g_error_matches(err, KERNEL_ERROR, KERNEL_ERROR_BAD_FREE));
	g_clear_error(&err);
	uint64_t p = kt_alloc(&t, 0, WL_GFP_KERNEL, 1);
	/* The second page of an order-1 block is not a block. */
	ck_assert(!kernel_begin_free(t.k, 0, p + KERNEL_PAGE_SIZE, t.now, &err));
	ck_assert_ptr_nonnull(strstr(err->message, "inside an allocated block"));
	g_clear_error(&err);
	kt_free(&t, 0, p);
	/* Twice. */
	ck_assert(!kernel_begin_free(t.k, 0, p, t.now, &err));
	ck_assert(g_error_matches(err, KERNEL_ERROR, KERNEL_ERROR_BAD_FREE));
	ck_assert_ptr_nonnull(strstr(err->message, "freed twice"));
	g_clear_error(&err);
	/* Not a page of the zone. */
	ck_assert(!kernel_begin_free(t.k, 0, 0x1000, t.now, &err));
	ck_assert_ptr_nonnull(strstr(err->message, "not a page"));
	kt_clear(&t);
}
END_TEST

/* ---- the functional engine's kernel calls, end to end ---- */

typedef struct {
	Config cfg;
	Machine *m;
	Kernel *k;
	WlFile *wl;
	WlInfo info;
	RunResult res;
	GError *err;
	gboolean ok;
} Run;

static void run_wl(Run *r, const char *text, const char *const *sets)
{
	memset(r, 0, sizeof *r);
	config_init(&r->cfg);
	r->cfg.mode = MODE_FUNCTIONAL;
	for (; sets && *sets; sets++)
		ck_assert(config_set(&r->cfg, *sets, NULL));
	ck_assert(config_validate(&r->cfg, NULL));
	g_autofree char *path = tu_write_temp(text, ".wl");
	r->wl = wl_open(path, &r->err);
	ck_assert_ptr_nonnull(r->wl);
	WlLimits lim = { 0, r->cfg.mem_size, kernel_region_base(&r->cfg) };
	ck_assert_msg(wl_validate(r->wl, &lim, &r->info, &r->err), "%s", r->err->message);
	r->m = machine_new(&r->cfg, proto_lookup("mesi"), r->info.cores);
	r->k = kernel_new(&r->cfg, r->m, &r->err);
	ck_assert_ptr_nonnull(r->k);
	run_result_init(&r->res, r->info.cores);
	r->ok = functional_run_kernel(r->m, r->k, r->wl, &r->info, SCHED_ROUNDS, &r->res, &r->err);
}

static void run_clear(Run *r)
{
	run_result_clear(&r->res);
	kernel_free(r->k);
	machine_free(r->m);
	wl_info_clear(&r->info);
	wl_free(r->wl);
	config_clear(&r->cfg);
	g_clear_error(&r->err);
}

static const char *const tiny[] = { "allocator.zone_pages=16", "allocator.min_free=8",
				    "allocator.low=10", "allocator.high=12",
				    "allocator.policy=global", NULL };

START_TEST(test_functional_registers)
{
	/* alloc, a store and a checked load through r1, the zero claim seen
	 * through r2, leaks: r1 is allocated into again without a free. */
	Run r;
	run_wl(&r,
	       "%labyrinth-workload 1\n"
	       "0 alloc r1 GFP_KERNEL 1\n"
	       "0 st r1+0x1ff8 9\n"
	       "0 ld r1+0x1ff8 =9\n"
	       "0 alloc r1 GFP_KERNEL\n"
	       "0 alloc r2 GFP_ATOMIC|__GFP_ZERO\n"
	       "0 ld r2+0x0 =0\n"
	       "0 free r2\n",
	       tiny);
	ck_assert_msg(r.ok, "%s", r.err ? r.err->message : "");
	const KStats *st = kernel_stats(r.k);
	ck_assert_uint_eq(st->allocs, 3);
	ck_assert_uint_eq(st->frees, 1);
	ck_assert_uint_eq(st->leaked_blocks, 1);
	ck_assert_uint_eq(st->leaked_pages, 2);
	KZoneInfo zi;
	kernel_zone_info(r.k, &zi);
	ck_assert_uint_eq(zi.allocated, 3); /* the leaked order-1 block and r1's page */
	ck_assert_uint_eq(r.res.operations, 7);
	run_clear(&r);

	/* An offset past the block, and a register emptied by a failed alloc. */
	run_wl(&r, "%labyrinth-workload 1\n0 alloc r1 GFP_KERNEL\n0 ld r1+0x1000\n", tiny);
	ck_assert(!r.ok);
	ck_assert(g_error_matches(r.err, SIM_ERROR, SIM_ERROR_INPUT));
	ck_assert_msg(strstr(r.err->message, ":3: offset 0x1000 is beyond the 1-page block in r1"),
		      "%s", r.err->message);
	run_clear(&r);

	GString *w = g_string_new("%labyrinth-workload 1\n");
	for (int i = 0; i < 9; i++)
		g_string_append_printf(w, "0 alloc r%d GFP_NOWAIT\n", i);
	g_string_append(w, "0 st r8+0x0 1\n");
	run_wl(&r, w->str, tiny);
	ck_assert(!r.ok);
	ck_assert_msg(strstr(r.err->message,
			     ":11: register r8 of core 0 holds no page: its alloc on line 10 failed"),
		      "%s", r.err->message);
	run_clear(&r);

	/* free of that register: a bad free, with FILE:LINE. */
	g_string_truncate(w, w->len - strlen("0 st r8+0x0 1\n"));
	g_string_append(w, "0 free r8\n");
	run_wl(&r, w->str, tiny);
	ck_assert(!r.ok);
	ck_assert(g_error_matches(r.err, KERNEL_ERROR, KERNEL_ERROR_BAD_FREE));
	ck_assert_msg(strstr(r.err->message, ":11: free r8: register r8"), "%s", r.err->message);
	run_clear(&r);
	g_string_free(w, TRUE);
}
END_TEST

START_TEST(test_functional_sleep_and_deadlock)
{
	/* Core 0 allocates 8 pages (16 .. 9 free; the last two through the
	 * slow path) in turns 1..8, computes in turn 9 and frees r0 in turn
	 * 10; core 1 computes in turns 1..8 and asks GFP_KERNEL in turn 9. */
	GString *w = g_string_new("%labyrinth-workload 1\n%cores 2\n");
	for (int i = 0; i < 8; i++)
		g_string_append_printf(w, "0 alloc r%d GFP_KERNEL\n", i);
	g_string_append(w, "0 compute 1\n0 free r0\n");
	for (int i = 0; i < 8; i++)
		g_string_append(w, "1 compute 1\n");
	g_string_append(w, "1 alloc r1 GFP_KERNEL\n");
	/* Turn 9: core 0 computes, core 1 sleeps (8 free).  Turn 10: core 0
	 * frees (9 free), core 1 wakes and gets a page.  Core 1 finishes in
	 * turn 10 with one stalled turn and one sleep of 1 turn (from its
	 * last access in turn 9 to its first in turn 10). */
	Run r;
	run_wl(&r, w->str, tiny);
	ck_assert_msg(r.ok, "%s", r.err ? r.err->message : "");
	const KStats *st = kernel_stats(r.k);
	ck_assert_uint_eq(st->sleeps, 1);
	ck_assert_uint_eq(st->sleep_cycles, 1);
	ck_assert_uint_eq(r.res.cores[1].stall_cycles, 1);
	ck_assert_uint_eq(r.res.cores[1].cycles, 10);
	ck_assert_uint_eq(r.res.cores[1].lock_wait_cycles, 0);
	ck_assert_uint_eq(st->allocs, 9);
	ck_assert_uint_eq(st->slowpath, 4); /* core 0 at 10 and 9 free, core 1 at 8 and 9 */
	run_clear(&r);

	/* Without the free, nobody can ever wake it: a deadlock. */
	g_string_truncate(w, 0);
	g_string_append(w, "%labyrinth-workload 1\n%cores 2\n");
	for (int i = 0; i < 8; i++)
		g_string_append_printf(w, "0 alloc r%d GFP_KERNEL\n", i);
	g_string_append(w, "1 compute 1\n1 compute 1\n1 compute 1\n1 compute 1\n"
			   "1 compute 1\n1 compute 1\n1 compute 1\n1 compute 1\n"
			   "1 alloc r1 GFP_KERNEL\n");
	run_wl(&r, w->str, tiny);
	ck_assert(!r.ok);
	ck_assert(g_error_matches(r.err, SIM_ERROR, SIM_ERROR_DEADLOCK));
	ck_assert_msg(strstr(r.err->message, "GFP_KERNEL alloc"), "%s", r.err->message);
	ck_assert_ptr_nonnull(strstr(r.err->message, "by core 1 sleeps: 8 free pages"));
	run_clear(&r);

	/* lock_page twice on one page by the same core: it spins on itself. */
	run_wl(&r,
	       "%labyrinth-workload 1\n0 alloc r1 GFP_KERNEL\n0 lock_page r1\n0 lock_page r1\n",
	       tiny);
	ck_assert(!r.ok);
	ck_assert(g_error_matches(r.err, SIM_ERROR, SIM_ERROR_DEADLOCK));
	ck_assert_msg(strstr(r.err->message, "page lock of 0x"), "%s", r.err->message);
	ck_assert_msg(strstr(r.err->message, "core 0 already holds it (recursive lock)"), "%s",
		      r.err->message);
	ck_assert_uint_eq(r.res.cores[0].lock_acquires, 1);
	ck_assert_uint_eq(r.res.cores[0].lock_wait_cycles, 1);
	run_clear(&r);
	g_string_free(w, TRUE);
}
END_TEST

START_TEST(test_stats_json)
{
	/* stats.md's keys and some of this model's, after the reserve run. */
	Run r;
	GString *w = g_string_new("%labyrinth-workload 1\n");
	for (int i = 0; i < 9; i++)
		g_string_append_printf(w, "0 alloc r%d GFP_NOWAIT\n", i);
	for (int i = 9; i < 15; i++)
		g_string_append_printf(w, "0 alloc r%d GFP_ATOMIC\n", i);
	g_string_append(w, "0 free r0\n");
	run_wl(&r, w->str, tiny);
	ck_assert(r.ok);
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	kernel_stats_json(r.k, b);
	json_builder_end_object(b);
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	JsonObject *a = json_object_get_object_member(json_node_get_object(root), "allocator");
	/* 8 NOWAIT + 5 ATOMIC succeed; 1 NOWAIT and 1 ATOMIC fail. */
	ck_assert_int_eq(json_object_get_int_member(a, "allocs"), 13);
	ck_assert_int_eq(json_object_get_int_member(a, "frees"), 1);
	ck_assert_int_eq(json_object_get_int_member(a, "failures"), 2);
	ck_assert_int_eq(json_object_get_int_member(a, "reserve_dips"), 5);
	ck_assert_int_eq(json_object_get_int_member(a, "claim_invalidations"), 0);
	ck_assert_int_eq(json_object_get_int_member(a, "lock_wait_cycles"), 0);
	JsonObject *lat = json_object_get_object_member(a, "latency_cycles");
	ck_assert_int_eq(json_object_get_int_member(lat, "count"), 13);
	ck_assert(json_object_has_member(lat, "p99"));
	JsonObject *zone = json_object_get_object_member(a, "zone");
	ck_assert_int_eq(json_object_get_int_member(zone, "free_pages"), 4);
	ck_assert_int_eq(json_object_get_int_member(a, "pages_allocated_at_end"), 12);
	JsonObject *series = json_object_get_object_member(a, "free_pages_over_time");
	JsonArray *samples = json_object_get_array_member(series, "samples");
	ck_assert_uint_eq(json_array_get_length(samples), 13);
	ck_assert_int_eq(json_array_get_int_element(samples, 0), 15);
	ck_assert_int_eq(json_array_get_int_element(samples, 12), 3);
	run_clear(&r);
	g_string_free(w, TRUE);
}
END_TEST

START_TEST(test_free_pages_series_is_bounded)
{
	/* 200 allocs and frees on one core: the series keeps at most 64
	 * samples.  Every 1 up to 64 allocs, every 2 up to 128, every 4 up
	 * to 256: 200 / 4 = 50 samples at allocs 4, 8, ..., 200. */
	GString *w = g_string_new("%labyrinth-workload 1\n");
	for (int i = 0; i < 200; i++)
		g_string_append(w, "0 alloc r1 GFP_KERNEL\n0 free r1\n");
	Run r;
	run_wl(&r, w->str, NULL);
	ck_assert(r.ok);
	g_autoptr(JsonBuilder) b = json_builder_new();
	json_builder_begin_object(b);
	kernel_stats_json(r.k, b);
	json_builder_end_object(b);
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	JsonObject *a = json_object_get_object_member(json_node_get_object(root), "allocator");
	JsonObject *series = json_object_get_object_member(a, "free_pages_over_time");
	ck_assert_int_eq(json_object_get_int_member(series, "every_allocs"), 4);
	ck_assert_uint_eq(json_array_get_length(json_object_get_array_member(series, "samples")),
			  50);
	run_clear(&r);
	g_string_free(w, TRUE);
}
END_TEST

Suite *suite_kernel(void)
{
	Suite *s = suite_create("kernel");
	TCase *tc = tcase_create("allocator");
	tcase_add_test(tc, test_boot_layout_and_defaults);
	tcase_add_test(tc, test_small_zone_needs_explicit_watermarks);
	tcase_add_test(tc, test_buddy_split_and_merge);
	tcase_add_test(tc, test_watermarks_and_reserves);
	tcase_add_test(tc, test_higher_order_watermark);
	tcase_add_test(tc, test_pcp_refill_and_drain);
	tcase_add_test(tc, test_claim_zero_cross_core);
	tcase_add_test(tc, test_claim_rfo_keeps_contents);
	tcase_add_test(tc, test_broken_claim_is_caught);
	tcase_add_test(tc, test_lock_kinds_under_contention);
	tcase_add_test(tc, test_page_lock);
	tcase_add_test(tc, test_bad_frees);
	TCase *fn = tcase_create("functional");
	tcase_add_test(fn, test_functional_registers);
	tcase_add_test(fn, test_functional_sleep_and_deadlock);
	tcase_add_test(fn, test_stats_json);
	tcase_add_test(fn, test_free_pages_series_is_bounded);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, fn);
	return s;
}
