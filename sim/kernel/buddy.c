/* buddy.c - the buddy allocator's free lists: taking the smallest block
 * that fits and splitting it (__rmqueue_smallest, expand), and freeing a
 * block and merging it with its free buddies (__free_one_page).  Callers
 * hold the zone lock and keep NR_FREE_PAGES (they update it once per
 * operation, not once per page).
 *
 * A free block of order o is a run of 2^o frames whose first pfn is a
 * multiple of 2^o (counted from the zone's first frame); its first struct
 * page carries PG_buddy and the order in `private` and sits on
 * free_area[o]'s list; the other struct pages of the block are not touched.
 * The buddy of the block at pfn is at pfn ^ 2^o.  Linux keeps one list per
 * migrate type in each free_area; this zone has one type.
 */
#include "kpriv.h"

/* del_page_from_free_list() and add_to_free_list() keep nr_free with a
 * non-atomic increment under the zone lock; in the caches that is one
 * read-for-ownership and a write, the same traffic as an rmw add. */

/* __rmqueue_smallest(): the first block on the lowest non-empty list of
 * order >= f->order, split down to that order.  Out: f->pfn, or KNO_PAGE
 * when no list had a block. */
KStep kb_rmqueue_smallest(Kernel *k, KCore *kc, KRmqueueSmallestFrame *f)
{
	KM_BEGIN(f);
	for (f->o = f->order; f->o <= KERNEL_MAX_ORDER; f->o++) {
		LOAD(kl_free_area(k, f->o) + KL_FA_NEXT, "free_list");
		if (kc->val != kl_free_area(k, f->o) + KL_FA_NEXT)
			break;
	}
	if (f->o > KERNEL_MAX_ORDER) {
		f->pfn = KNO_PAGE;
		goto out;
	}
	f->pfn = kl_node_pfn(k, kc->val);

	/* del_page_from_free_list(): unlink, clear PG_buddy and the order. */
	KM_CALL(f, kl_list_del, &kc->list_del, .entry = kl_page_node(k, f->pfn));
	STORE(kl_page_struct(k, f->pfn) + KL_PAGE_FLAGS, 0, "clear_page_buddy");
	STORE(kl_page_struct(k, f->pfn) + KL_PAGE_PRIVATE, 0, "set_page_private");
	RMW_ADD(kl_free_area(k, f->o) + KL_FA_NR_FREE, -1, "free_area.nr_free");
	k->buddy_pages -= UINT64_C(1) << f->o;

	/* expand(): give back the upper half at each order on the way down.
	 * The halves go to the heads of their lists, so the next request of
	 * that order takes the block just split off, still warm. */
	while (f->o > f->order) {
		f->o--;
		KM_CALL(f, kl_list_add, &kc->list_add,
			.entry = kl_page_node(k, f->pfn + (UINT64_C(1) << f->o)),
			.head = kl_free_area(k, f->o) + KL_FA_NEXT, .tail = 0);
		RMW_ADD(kl_free_area(k, f->o) + KL_FA_NR_FREE, 1, "free_area.nr_free");
		STORE(kl_page_struct(k, f->pfn + (UINT64_C(1) << f->o)) + KL_PAGE_PRIVATE, f->o,
		      "set_buddy_order");
		STORE(kl_page_struct(k, f->pfn + (UINT64_C(1) << f->o)) + KL_PAGE_FLAGS, PG_BUDDY,
		      "set_page_buddy");
		k->buddy_pages += UINT64_C(1) << f->o;
	}
out:;
	KM_END(f);
}

/* __free_one_page(): merges the block at f->pfn of f->order with its
 * buddy while the buddy is free and whole (PG_buddy set and the same
 * order: page_is_buddy()), then puts the result at the head of its list. */
KStep kb_free_one_page(Kernel *k, KCore *kc, KFreeOnePageFrame *f)
{
	KM_BEGIN(f);
	while (f->order < KERNEL_MAX_ORDER) {
		f->buddy = f->pfn ^ (UINT64_C(1) << f->order);
		/* A buddy past the zone's end does not exist (pfn_valid()). */
		if (f->buddy + (UINT64_C(1) << f->order) > k->l.n_pages)
			break;
		LOAD(kl_page_struct(k, f->buddy) + KL_PAGE_FLAGS, "page_is_buddy");
		if (!(kc->val & PG_BUDDY))
			break;
		LOAD(kl_page_struct(k, f->buddy) + KL_PAGE_PRIVATE, "buddy_order");
		if (kc->val != f->order)
			break;
		/* del_page_from_free_list(buddy) */
		KM_CALL(f, kl_list_del, &kc->list_del, .entry = kl_page_node(k, f->buddy));
		STORE(kl_page_struct(k, f->buddy) + KL_PAGE_FLAGS, 0, "clear_page_buddy");
		STORE(kl_page_struct(k, f->buddy) + KL_PAGE_PRIVATE, 0, "set_page_private");
		RMW_ADD(kl_free_area(k, f->order) + KL_FA_NR_FREE, -1, "free_area.nr_free");
		k->buddy_pages -= UINT64_C(1) << f->order;
		f->pfn &= f->buddy;
		f->order++;
	}
	KM_CALL(f, kl_list_add, &kc->list_add, .entry = kl_page_node(k, f->pfn),
		.head = kl_free_area(k, f->order) + KL_FA_NEXT, .tail = 0);
	RMW_ADD(kl_free_area(k, f->order) + KL_FA_NR_FREE, 1, "free_area.nr_free");
	STORE(kl_page_struct(k, f->pfn) + KL_PAGE_PRIVATE, f->order, "set_buddy_order");
	STORE(kl_page_struct(k, f->pfn) + KL_PAGE_FLAGS, PG_BUDDY, "set_page_buddy");
	k->buddy_pages += UINT64_C(1) << f->order;
	KM_END(f);
}
