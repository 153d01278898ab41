/* pcp.c - per-CPU page lists (policy = pcp): order-0 pages cached per core
 * so that the common allocation and free touch only the core's own line
 * and the page's own struct page, and the zone lock is taken once per
 * `batch` pages.
 *
 *   rmqueue_pcplist()    take the head of the core's list; when it is
 *                        empty, rmqueue_bulk() moves `batch` pages from
 *                        the buddy lists under the zone lock first.
 *   free_unref_page()    push the page at the head of the list (it is
 *                        cache-hot: the next allocation should get it);
 *                        when count reaches `high`, free_pcppages_bulk()
 *                        gives `batch` pages from the cold tail back to the
 *                        buddy lists under the zone lock.
 *
 * The per-CPU line has a lock word, as Linux's pcp->lock: taken with
 * spin_trylock, and when it is busy (only another core draining this
 * core's list could hold it; this model never does) the call falls back to
 * the buddy lists, as Linux does.  Pages moved between the buddy lists and
 * a per-CPU list change NR_FREE_PAGES (once per batch), since that counter
 * counts the buddy lists only.
 */
#include "kpriv.h"

/* pcp_spin_trylock(): an exchange on the core's own line. */
#define PCP_TRYLOCK(pcp) XCHG((pcp) + KL_PCP_LOCK, 1, "pcp_trylock")
#define PCP_UNLOCK(pcp) STORE((pcp) + KL_PCP_LOCK, 0, "pcp_unlock")

/* rmqueue_bulk(): up to f->batch order-0 blocks from the buddy lists to
 * the tail of the core's list, under the zone lock.  Out: f->moved, the
 * number moved (0 when the buddy lists are empty). */
static KStep rmqueue_bulk(Kernel *k, KCore *kc, KRmqueueBulkFrame *f)
{
	uint64_t pcp = kl_pcp(k, kc->id);

	KM_BEGIN(f);
	KM_CALL(f, kz_lock, &kc->spin_lock);
	for (f->moved = 0; f->moved < f->batch; f->moved++) {
		KM_CALL(f, kb_rmqueue_smallest, &kc->rmqueue_smallest, .order = 0);
		if (kc->rmqueue_smallest.pfn == KNO_PAGE)
			break;
		/* list_add_tail keeps the batch in address order. */
		KM_CALL(f, kl_list_add, &kc->list_add,
			.entry = kl_page_node(k, kc->rmqueue_smallest.pfn),
			.head = pcp + KL_PCP_LIST, .tail = 1);
		k->pcp_pages[kc->id]++;
	}
	if (f->moved)
		RMW_ADD(k->l.vmstat, -(int64_t)f->moved, "NR_FREE_PAGES");
	KM_CALL(f, kz_unlock, &kc->spin_unlock);
	k->st.refills++;
	k->st.pages_refilled += f->moved;
	KM_END(f);
}

/* free_pcppages_bulk(): f->n pages from the tail of the core's list back
 * to the buddy lists, merging, under the zone lock. */
static KStep free_pcppages_bulk(Kernel *k, KCore *kc, KFreePcppagesBulkFrame *f)
{
	uint64_t pcp = kl_pcp(k, kc->id);

	KM_BEGIN(f);
	KM_CALL(f, kz_lock, &kc->spin_lock);
	for (f->done = 0; f->done < f->n; f->done++) {
		LOAD(pcp + KL_PCP_LIST + 8, "pcp_list_last");
		f->node = kc->val;
		KM_CALL(f, kl_list_del, &kc->list_del, .entry = f->node);
		k->pcp_pages[kc->id]--;
		KM_CALL(f, kb_free_one_page, &kc->free_one_page, .pfn = kl_node_pfn(k, f->node),
			.order = 0);
	}
	RMW_ADD(k->l.vmstat, f->n, "NR_FREE_PAGES");
	KM_CALL(f, kz_unlock, &kc->spin_unlock);
	k->st.drains++;
	k->st.pages_drained += f->n;
	KM_END(f);
}

/* rmqueue_pcplist(): an order-0 page for the core.  Out: f->pfn (KNO_PAGE
 * if the list was empty and refilling found nothing), f->trylock_failed,
 * and f->path (pcp hit or refill) when the lock was taken. */
KStep kp_rmqueue_pcplist(Kernel *k, KCore *kc, KRmqueuePcplistFrame *f)
{
	uint64_t pcp = kl_pcp(k, kc->id);

	KM_BEGIN(f);
	f->pfn = KNO_PAGE;
	f->trylock_failed = 0;
	PCP_TRYLOCK(pcp);
	if (kc->val != 0) {
		f->trylock_failed = 1;
		goto out;
	}
	LOAD(pcp + KL_PCP_COUNT, "pcp.count");
	f->count = kc->val;
	f->path = KPATH_PCP;
	if (f->count == 0) {
		f->path = KPATH_REFILL;
		LOAD(pcp + KL_PCP_BATCH, "pcp.batch");
		f->batch = kc->val;
		KM_CALL(f, rmqueue_bulk, &kc->rmqueue_bulk, .batch = f->batch);
		f->count = kc->rmqueue_bulk.moved;
		if (f->count == 0) {
			PCP_UNLOCK(pcp);
			goto out;
		}
	}
	/* list_first_entry(), then list_del() */
	LOAD(pcp + KL_PCP_LIST, "pcp_list_first");
	f->pfn = kl_node_pfn(k, kc->val);
	KM_CALL(f, kl_list_del, &kc->list_del, .entry = kc->val);
	k->pcp_pages[kc->id]--;
	STORE(pcp + KL_PCP_COUNT, f->count - 1, "pcp.count");
	PCP_UNLOCK(pcp);
out:;
	KM_END(f);
}

/* free_unref_page(): the order-0 page f->pfn onto the core's list,
 * draining a batch when the list reaches high.  Out: f->trylock_failed
 * (the caller then frees to the buddy lists), and f->path (pcp or drain)
 * when the lock was taken. */
KStep kp_free_unref_page(Kernel *k, KCore *kc, KFreeUnrefPageFrame *f)
{
	uint64_t pcp = kl_pcp(k, kc->id);

	KM_BEGIN(f);
	f->trylock_failed = 0;
	PCP_TRYLOCK(pcp);
	if (kc->val != 0) {
		f->trylock_failed = 1;
		goto out;
	}
	f->path = KFPATH_PCP;
	KM_CALL(f, kl_list_add, &kc->list_add, .entry = kl_page_node(k, f->pfn),
		.head = pcp + KL_PCP_LIST, .tail = 0);
	k->pcp_pages[kc->id]++;
	LOAD(pcp + KL_PCP_COUNT, "pcp.count");
	f->count = kc->val + 1;
	STORE(pcp + KL_PCP_COUNT, f->count, "pcp.count");
	LOAD(pcp + KL_PCP_HIGH, "pcp.high");
	f->high = kc->val;
	if (f->count >= f->high) {
		f->path = KFPATH_DRAIN;
		LOAD(pcp + KL_PCP_BATCH, "pcp.batch");
		f->drain = MIN(kc->val, f->count);
		KM_CALL(f, free_pcppages_bulk, &kc->free_pcppages_bulk, .n = f->drain);
		STORE(pcp + KL_PCP_COUNT, f->count - f->drain, "pcp.count");
	}
	PCP_UNLOCK(pcp);
out:;
	KM_END(f);
}
