/* kcheck.c - the allocator's invariants, checked after every allocation
 * (always on; they cost a walk over the block's lines and the caches, far
 * less than the claim that precedes them):
 *
 *   1. No page is handed out twice: a host-side byte per frame says which
 *      pages are allocated; the block must be entirely free.
 *   2. The claim is exclusive: no other cache holds any line of the block,
 *      and the allocating cache holds each one in the protocol's writable
 *      state (a block larger than the cache cannot all stay in it: then a
 *      line may also be absent, evicted by the claim of a later one).
 *   3. A zeroed block reads zero, word by word (the claimer's copy, or the
 *      coherent value when it was evicted).
 *   4. The free-page counters in simulated memory agree with the lists:
 *      NR_FREE_PAGES equals the pages on the buddy lists, and each core's
 *      pcp->count the pages on its per-CPU list, so NR_FREE_PAGES plus the
 *      per-CPU counts equals every free page.  (The lists are walked by
 *      the allocator itself; the host keeps a count of what it put on
 *      them.)  Counts that are being changed right now (a core inside the
 *      zone lock, or inside its per-CPU list, in timing mode) are skipped.
 *
 * A violation is a bug in the simulator, never the workload's fault: the
 * run stops with KERNEL_ERROR_INVARIANT naming the page and the core.
 */
#include <inttypes.h>

#include "kpriv.h"

static gboolean broken(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static gboolean broken(GError **error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(error, KERNEL_ERROR, KERNEL_ERROR_INVARIANT, "allocator invariant broken: %s",
		    msg);
	return FALSE;
}

static gboolean check_lines(Kernel *k, unsigned core, uint64_t pfn, unsigned order,
			    gboolean zeroed, GError **error)
{
	const Machine *m = k->m;
	uint64_t bytes = (uint64_t)KERNEL_PAGE_SIZE << order;
	uint64_t first = kl_frame(k, pfn);
	gboolean may_evict = bytes > k->cache_bytes;
	int writable = k->proto->writable_state;

	for (uint64_t a = first; a < first + bytes; a += k->line) {
		for (unsigned c = 0; c < k->n_cores; c++) {
			int st = machine_line_state(m, c, a);
			if (c == core) {
				if (st == writable || (st == 0 && may_evict))
					continue;
				return broken(error,
					      "core %u allocated page 0x%" PRIx64 " but holds its "
					      "line 0x%" PRIx64 " in state %s, not %s",
					      core, a & ~(uint64_t)(KERNEL_PAGE_SIZE - 1), a,
					      st ? k->proto->state_names[st] : "absent",
					      k->proto->state_names[writable]);
			}
			if (st)
				return broken(error,
					      "core %u allocated page 0x%" PRIx64 " but core %u still "
					      "holds its line 0x%" PRIx64 " in state %s",
					      core, a & ~(uint64_t)(KERNEL_PAGE_SIZE - 1), c, a,
					      k->proto->state_names[st]);
		}
		if (!zeroed)
			continue;
		for (uint64_t w = a; w < a + k->line; w += 8) {
			uint64_t v;
			if (!machine_peek_cached(m, core, w, &v))
				v = machine_peek_word(m, w);
			if (v != 0)
				return broken(error,
					      "core %u allocated page 0x%" PRIx64 " zeroed, but word "
					      "0x%" PRIx64 " reads 0x%" PRIx64,
					      core, w & ~(uint64_t)(KERNEL_PAGE_SIZE - 1), w, v);
		}
	}
	return TRUE;
}

static gboolean check_counters(Kernel *k, unsigned core, uint64_t pfn, GError **error)
{
	const Machine *m = k->m;
	if (k->lock_owner < 0) {
		uint64_t nr = machine_peek_word(m, k->l.vmstat);
		if (nr != k->buddy_pages)
			return broken(error,
				      "after core %u allocated page 0x%" PRIx64 ", NR_FREE_PAGES "
				      "reads %" PRIu64 " but the buddy lists hold %" PRIu64 " pages",
				      core, kl_frame(k, pfn), nr, k->buddy_pages);
	}
	for (unsigned c = 0; c < k->n_cores; c++) {
		if (kcore_in_pcp(&k->cores[c]))
			continue;
		uint64_t count = machine_peek_word(m, kl_pcp(k, c) + KL_PCP_COUNT);
		if (count != k->pcp_pages[c])
			return broken(error,
				      "after core %u allocated page 0x%" PRIx64 ", core %u's "
				      "pcp->count reads %" PRIu64 " but its list holds %" PRIu64
				      " pages",
				      core, kl_frame(k, pfn), c, count, k->pcp_pages[c]);
	}
	return TRUE;
}

gboolean kcheck_after_alloc(Kernel *k, KCore *kc, uint64_t pfn, unsigned order, gboolean zeroed,
			    GError **error)
{
	uint64_t n = UINT64_C(1) << order;
	g_assert(pfn + n <= k->l.n_pages);
	for (uint64_t i = 0; i < n; i++)
		if (k->pstate[pfn + i] & PS_ALLOC)
			return broken(error,
				      "page 0x%" PRIx64 " handed out twice: core %u got it while it "
				      "was still allocated",
				      kl_frame(k, pfn + i), kc->id);
	if (!check_lines(k, kc->id, pfn, order, zeroed, error) ||
	    !check_counters(k, kc->id, pfn, error))
		return FALSE;
	for (uint64_t i = 0; i < n; i++)
		k->pstate[pfn + i] = PS_ALLOC;
	k->pstate[pfn] |= PS_HEAD | (uint8_t)order;
	k->allocated += n;
	return TRUE;
}
