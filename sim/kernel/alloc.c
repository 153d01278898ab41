/* alloc.c - the allocator's calls (alloc, free, lock_page, unlock_page) as
 * per-core resumable functions, and the interface the engines drive.
 *
 * alloc follows __alloc_pages():
 *   fast path   get_page_from_freelist() at the low watermark: read the
 *               watermark and NR_FREE_PAGES, then rmqueue().
 *   slow path   __alloc_pages_slowpath() with gfp_to_alloc_flags(): retry
 *               at the min watermark, lowered for reserves: __GFP_HIGH
 *               (GFP_ATOMIC has it) may take half of min, and a caller that
 *               cannot block (no __GFP_DIRECT_RECLAIM: GFP_ATOMIC, not
 *               GFP_NOWAIT, which lacks __GFP_HIGH) a quarter of the rest,
 *               so GFP_ATOMIC goes down to 3/8 of min.  A success that
 *               needed the reserve (free pages at or below min) is a
 *               reserve dip.  Below its floor a call that cannot block
 *               fails at once and returns 0; GFP_KERNEL sleeps until a
 *               free (this model has no reclaim or compaction to run
 *               instead) and starts over.
 *   rmqueue()   order 0 under policy pcp: rmqueue_pcplist(); otherwise
 *               rmqueue_buddy(): the zone lock, __rmqueue_smallest(),
 *               NR_FREE_PAGES, unlock.
 *   prep_new_page()  set_page_refcounted(): _refcount = 1.
 *   the claim   last, for every line of the block: the allocating cache
 *               takes it exclusively (protocols.md), by a data-less
 *               invalidation that zeroes it (claim = zero, and always with
 *               __GFP_ZERO) or by a read for ownership that keeps the old
 *               contents (claim = rfo).  This is kernel_init_pages()'s
 *               clear_page(), or the first stores of the new owner.
 *   Then the invariants (kcheck.c) are checked.
 *
 * free follows __free_pages(): put_page_testzero() (an atomic decrement of
 * _refcount), then free_unref_page() for order 0 under policy pcp, else
 * __free_pages_ok(): the zone lock, __free_one_page(), NR_FREE_PAGES.
 *
 * lock_page sets PG_locked in the struct page's flags word with an atomic
 * test-and-set, testing first (trylock_page(), then spinning where Linux
 * would sleep in folio_wait_bit_common()); unlock_page clears it with a
 * store (Linux: clear_bit_unlock()).
 */
#include <inttypes.h>
#include <string.h>

#include "kpriv.h"
#include "input/workload.h"

static KCore *core_of(Kernel *k, unsigned core)
{
	g_assert(core < k->n_cores);
	return &k->cores[core];
}

/* The lowest free-page count (exclusive) the request may leave:
 * gfp_to_alloc_flags() and __zone_watermark_ok()'s reserve cuts. */
static uint64_t reserve_floor(uint64_t min, uint32_t gfp)
{
	gboolean high = (gfp & (WL_GFP_ATOMIC | WL_GFP_HIGH)) != 0;
	gboolean non_block = !(gfp & WL_GFP_KERNEL);

	if (high) {
		min -= min / 2;
		if (non_block)
			min -= min / 4;
	}
	return min;
}

/* __alloc_pages() */
static KStep alloc_pages(Kernel *k, KCore *kc, KAllocPagesFrame *f)
{
	KM_BEGIN(f);
	f->can_block = (f->gfp & WL_GFP_KERNEL) != 0;
	f->zero = k->claim == ALLOC_CLAIM_ZERO || (f->gfp & WL_GFP_ZERO);
retry:
	f->reserve_dip = 0;
	/* Fast path: get_page_from_freelist() at the low watermark. */
	LOAD(k->l.wmark + KL_WMARK_LOW, "wmark_low");
	KM_CALL(f, kz_watermark_ok, &kc->watermark_ok, .order = f->order, .mark = kc->val);
	if (!kc->watermark_ok.ok) {
		/* Slow path: the min watermark, less the caller's reserve.
		 * Linux would wake kswapd here; this model has none. */
		k->st.slowpath++;
		LOAD(k->l.wmark + KL_WMARK_MIN, "wmark_min");
		f->wmark_min = kc->val;
		KM_CALL(f, kz_watermark_ok, &kc->watermark_ok, .order = f->order,
			.mark = reserve_floor(f->wmark_min, f->gfp));
		if (!kc->watermark_ok.ok)
			goto nopage;
		f->reserve_dip = kc->watermark_ok.free <= (int64_t)f->wmark_min;
	}

	/* rmqueue() */
	f->pfn = KNO_PAGE;
	f->use_buddy = 1;
	if (f->order == 0 && k->policy == ALLOC_POLICY_PCP) {
		KM_CALL(f, kp_rmqueue_pcplist, &kc->rmqueue_pcplist);
		f->pfn = kc->rmqueue_pcplist.pfn;
		f->path = kc->rmqueue_pcplist.path;
		f->use_buddy = kc->rmqueue_pcplist.trylock_failed;
	}
	if (f->use_buddy) {
		/* rmqueue_buddy() */
		f->path = KPATH_BUDDY;
		KM_CALL(f, kz_lock, &kc->spin_lock);
		KM_CALL(f, kb_rmqueue_smallest, &kc->rmqueue_smallest, .order = f->order);
		f->pfn = kc->rmqueue_smallest.pfn;
		if (f->pfn != KNO_PAGE)
			RMW_ADD(k->l.vmstat, -(int64_t)(UINT64_C(1) << f->order), "NR_FREE_PAGES");
		KM_CALL(f, kz_unlock, &kc->spin_unlock);
	}
	/* The count said yes but the lists were empty: the free pages are on
	 * other cores' per-CPU lists, or (timing mode) another core took them
	 * between our check and our lock. */
	if (f->pfn == KNO_PAGE)
		goto nopage;

	/* prep_new_page() */
	STORE(kl_page_struct(k, f->pfn) + KL_PAGE_REFCOUNT, 1, "set_page_refcounted");

	/* The exclusive claim, line by line. */
	f->claim_lines = ((uint64_t)KERNEL_PAGE_SIZE << f->order) / k->line;
	if (k->break_claim) {
		k->break_claim = FALSE;
		f->claim_lines = 0;
	}
	for (f->claim_next = 0; f->claim_next < f->claim_lines; f->claim_next++)
		KM_OP(f->zero ? KOP_CLAIM_ZERO : KOP_CLAIM_RFO,
		      kl_frame(k, f->pfn) + f->claim_next * k->line, 0, 0, CTX_KERNEL_CLAIM, "claim");

	if (!kcheck_after_alloc(k, kc, f->pfn, f->order, f->zero, &kc->error))
		goto out;
	k->st.reserve_dips += f->reserve_dip;
	kc->result = kl_frame(k, f->pfn);
	kstats_alloc_done(k, kc, f->path, kc->now - kc->t_begin);
	goto out;

nopage:
	if (f->can_block) {
		/* GFP_KERNEL: sleep until some core frees pages, then retry
		 * from the start, as after a round of direct reclaim. */
		k->st.sleeps++;
		kc->sleep_from = kc->now;
		f->sleep_gen = k->free_gen;
		while (k->free_gen == f->sleep_gen)
			KM_YIELD(f, KSTEP_BLOCKED);
		kc->woke = TRUE;
		goto retry;
	}
	k->st.failures++;
	kc->result = 0;
out:;
	KM_END(f);
}

/* __free_pages() */
static KStep free_pages(Kernel *k, KCore *kc, KFreePagesFrame *f)
{
	KM_BEGIN(f);
	/* put_page_testzero(): the last reference goes. */
	RMW_ADD(kl_page_struct(k, f->pfn) + KL_PAGE_REFCOUNT, -1, "put_page_testzero");
	g_assert(kc->val == 1); /* one owner, the register; nothing else takes references */

	f->use_buddy = 1;
	if (f->order == 0 && k->policy == ALLOC_POLICY_PCP) {
		KM_CALL(f, kp_free_unref_page, &kc->free_unref_page, .pfn = f->pfn);
		f->path = kc->free_unref_page.path;
		f->use_buddy = kc->free_unref_page.trylock_failed;
	}
	if (f->use_buddy) {
		/* __free_pages_ok() -> free_one_page() */
		f->path = KFPATH_BUDDY;
		KM_CALL(f, kz_lock, &kc->spin_lock);
		KM_CALL(f, kb_free_one_page, &kc->free_one_page, .pfn = f->pfn, .order = f->order);
		RMW_ADD(k->l.vmstat, UINT64_C(1) << f->order, "NR_FREE_PAGES");
		KM_CALL(f, kz_unlock, &kc->spin_unlock);
	}
	k->free_gen++;
	kstats_free_done(k, kc, f->path, kc->now - kc->t_begin);
	KM_END(f);
}

static KStep lock_page(Kernel *k, KCore *kc, KLockPageFrame *f)
{
	uint64_t flags = kl_page_struct(k, f->pfn) + KL_PAGE_FLAGS;

	KM_BEGIN(f);
	f->spun = 0;
	for (;;) {
		/* trylock_page(): test, and only then test-and-set. */
		LOAD(flags, "lock_page.test");
		f->flags = kc->val;
		if (!(f->flags & PG_LOCKED)) {
			CAS(flags, f->flags, f->flags | PG_LOCKED, "lock_page.set");
			if (kc->val == f->flags)
				break;
		}
		f->spun = 1;
		KM_YIELD(f, KSTEP_SPIN);
	}
	k->pstate[f->pfn] |= PS_LOCKED;
	kstats_page_lock(k, f->pfn, f->spun, kc->now - kc->t_begin);
	KM_END(f);
}

static KStep unlock_page(Kernel *k, KCore *kc, KUnlockPageFrame *f)
{
	KM_BEGIN(f);
	/* An allocated page has no other flag set (PG_buddy is clear while
	 * it is allocated), so clearing PG_locked is storing 0. */
	STORE(kl_page_struct(k, f->pfn) + KL_PAGE_FLAGS, 0, "unlock_page");
	k->pstate[f->pfn] &= (uint8_t)~PS_LOCKED;
	KM_END(f);
}

static KStep run_call(Kernel *k, KCore *kc)
{
	switch (kc->kind) {
	case KCALL_ALLOC:
		return alloc_pages(k, kc, &kc->alloc_pages);
	case KCALL_FREE:
		return free_pages(k, kc, &kc->free_pages);
	case KCALL_LOCK_PAGE:
		return lock_page(k, kc, &kc->lock_page);
	case KCALL_UNLOCK_PAGE:
		return unlock_page(k, kc, &kc->unlock_page);
	case KCALL_NONE:
		break;
	}
	g_assert_not_reached();
}

static KCore *begin(Kernel *k, unsigned core, KCallKind call, uint64_t now)
{
	KCore *kc = core_of(k, core);
	g_assert(kc->kind == KCALL_NONE);
	kc->kind = call;
	kc->now = kc->t_begin = now;
	kc->have_pending = FALSE;
	kc->result = 0;
	kc->woke = FALSE;
	return kc;
}

/* begin() a call, and start its frame with the call's arguments. */
#define BEGIN_CALL(k, core, call, frame, now, ...)                                                  \
	KM_INIT(&begin(k, core, call, now)->frame, __VA_ARGS__)

/* The pfn of page, the first page of an allocated block; else FALSE with
 * an error of code `code` saying what page is instead. */
static gboolean allocated_head(const Kernel *k, uint64_t page, const char *what, int code,
			       uint64_t *pfn, GError **error)
{
	uint64_t end = k->l.frames + k->l.n_pages * KERNEL_PAGE_SIZE;
	if (page == 0) {
		g_set_error(error, KERNEL_ERROR, code, "%s of no page (address 0)", what);
		return FALSE;
	}
	if (page < k->l.frames || page >= end || (page & (KERNEL_PAGE_SIZE - 1))) {
		g_set_error(error, KERNEL_ERROR, code,
			    "%s of 0x%" PRIx64 ", which is not a page of the allocator's zone", what,
			    page);
		return FALSE;
	}
	*pfn = (page - k->l.frames) >> KERNEL_PAGE_SHIFT;
	uint8_t ps = k->pstate[*pfn];
	if (!(ps & PS_ALLOC)) {
		g_set_error(error, KERNEL_ERROR, code,
			    "%s of page 0x%" PRIx64 ", which is free (freed twice?)", what, page);
		return FALSE;
	}
	if (!(ps & PS_HEAD)) {
		g_set_error(error, KERNEL_ERROR, code,
			    "%s of page 0x%" PRIx64 ", which is inside an allocated block, not its "
			    "first page",
			    what, page);
		return FALSE;
	}
	return TRUE;
}

void kernel_begin_alloc(Kernel *k, unsigned core, uint32_t gfp, unsigned order, uint64_t now)
{
	g_assert(order <= KERNEL_MAX_ORDER);
	BEGIN_CALL(k, core, KCALL_ALLOC, alloc_pages, now, .gfp = gfp, .order = order);
}

gboolean kernel_begin_free(Kernel *k, unsigned core, uint64_t page, uint64_t now, GError **error)
{
	uint64_t pfn;
	if (!allocated_head(k, page, "free", KERNEL_ERROR_BAD_FREE, &pfn, error))
		return FALSE;
	if (k->pstate[pfn] & PS_LOCKED) {
		/* free_pages_prepare() finds PG_locked and calls bad_page(). */
		g_set_error(error, KERNEL_ERROR, KERNEL_ERROR_BAD_FREE,
			    "free of page 0x%" PRIx64 ", which is locked (lock_page without "
			    "unlock_page)",
			    page);
		return FALSE;
	}
	unsigned order = k->pstate[pfn] & PS_ORDER;
	BEGIN_CALL(k, core, KCALL_FREE, free_pages, now, .pfn = pfn, .order = order);
	/* The block stops being the caller's now; it becomes free when it
	 * reaches a list. */
	uint64_t n = UINT64_C(1) << order;
	memset(k->pstate + pfn, 0, n);
	k->allocated -= n;
	return TRUE;
}

gboolean kernel_begin_lock_page(Kernel *k, unsigned core, uint64_t page, uint64_t now,
				GError **error)
{
	uint64_t pfn;
	if (!allocated_head(k, page, "lock_page", KERNEL_ERROR_BAD_PAGE_LOCK, &pfn, error))
		return FALSE;
	BEGIN_CALL(k, core, KCALL_LOCK_PAGE, lock_page, now, .pfn = pfn);
	return TRUE;
}

gboolean kernel_begin_unlock_page(Kernel *k, unsigned core, uint64_t page, uint64_t now,
				  GError **error)
{
	uint64_t pfn;
	if (!allocated_head(k, page, "unlock_page", KERNEL_ERROR_BAD_PAGE_LOCK, &pfn, error))
		return FALSE;
	if (!(k->pstate[pfn] & PS_LOCKED)) {
		g_set_error(error, KERNEL_ERROR, KERNEL_ERROR_BAD_PAGE_LOCK,
			    "unlock_page of page 0x%" PRIx64 ", which is not locked", page);
		return FALSE;
	}
	BEGIN_CALL(k, core, KCALL_UNLOCK_PAGE, unlock_page, now, .pfn = pfn);
	return TRUE;
}

KStep kernel_next(Kernel *k, unsigned core, KAccess *acc)
{
	KCore *kc = core_of(k, core);
	g_assert(kc->kind != KCALL_NONE);
	if (!kc->have_pending) {
		kc->pending = run_call(k, kc);
		kc->have_pending = TRUE;
	}
	KStep step = kc->pending;
	switch (step) {
	case KSTEP_ACCESS:
		/* Stays pending until kernel_complete(). */
		*acc = kc->acc;
		break;
	case KSTEP_SPIN:
	case KSTEP_BLOCKED:
		kc->have_pending = FALSE;
		break;
	case KSTEP_DONE:
		kc->have_pending = FALSE;
		kc->kind = KCALL_NONE;
		break;
	}
	return step;
}

gboolean kernel_complete(Kernel *k, unsigned core, uint64_t value, uint64_t now, GError **error)
{
	KCore *kc = core_of(k, core);
	g_assert(kc->have_pending && kc->pending == KSTEP_ACCESS);
	kc->val = value;
	kc->now = now;
	if (kc->woke) {
		k->st.sleep_cycles += now - kc->sleep_from;
		kc->woke = FALSE;
	}
	/* Run on to the next step now, so that an invariant that breaks at
	 * the end of the call is reported here. */
	kc->pending = run_call(k, kc);
	if (kc->error) {
		g_propagate_error(error, kc->error);
		kc->error = NULL;
		return FALSE;
	}
	return TRUE;
}

/* The machine's access kind of a kernel access that is not a claim. */
static AccessKind access_kind(KOpKind kind)
{
	static const AccessKind kinds[] = {
		[KOP_LOAD] = ACC_LOAD,         [KOP_STORE] = ACC_STORE,
		[KOP_RMW_ADD] = ACC_RMW_ADD,   [KOP_RMW_XCHG] = ACC_RMW_XCHG,
		[KOP_RMW_CAS] = ACC_RMW_CAS,
	};
	g_assert(kind <= KOP_RMW_CAS);
	return kinds[kind];
}

static int is_claim(const KAccess *acc)
{
	return acc->kind == KOP_CLAIM_ZERO || acc->kind == KOP_CLAIM_RFO;
}

uint64_t kernel_perform(Machine *m, unsigned core, const KAccess *acc)
{
	uint64_t v = 0;
	machine_set_context(m, acc->ctx);
	if (is_claim(acc))
		machine_claim_line(m, core, acc->addr, acc->kind == KOP_CLAIM_ZERO);
	else
		v = machine_access(m, core, access_kind(acc->kind), acc->addr, acc->a, acc->b);
	machine_set_context(m, CTX_USER);
	return v;
}

int kernel_perform_if_hit(Machine *m, unsigned core, const KAccess *acc, uint64_t *value)
{
	if (is_claim(acc))
		return 0;
	machine_set_context(m, acc->ctx);
	int hit = machine_access_if_hit(m, core, access_kind(acc->kind), acc->addr, acc->a, acc->b,
					value);
	machine_set_context(m, CTX_USER);
	return hit;
}

int kernel_access_needs_bus(const Machine *m, unsigned core, const KAccess *acc)
{
	return is_claim(acc) || machine_needs_bus(m, core, access_kind(acc->kind), acc->addr);
}

uint64_t kernel_result(const Kernel *k, unsigned core)
{
	g_assert(core < k->n_cores);
	return k->cores[core].result;
}

unsigned kernel_page_order(const Kernel *k, uint64_t page)
{
	uint64_t pfn = (page - k->l.frames) >> KERNEL_PAGE_SHIFT;
	g_assert(page >= k->l.frames && pfn < k->l.n_pages && (k->pstate[pfn] & PS_HEAD));
	return k->pstate[pfn] & PS_ORDER;
}

uint64_t kernel_free_generation(const Kernel *k)
{
	return k->free_gen;
}

void kernel_note_leak(Kernel *k, unsigned core, uint64_t page)
{
	k->st.leaked_blocks++;
	k->st.leaked_pages += UINT64_C(1) << kernel_page_order(k, page);
}

void kernel_debug_break_claim(Kernel *k)
{
	k->break_claim = TRUE;
}
