/* list.c - Linux's struct list_head, operated on in simulated memory.
 *
 * A list_head is two words, next at +0 and prev at +8, holding the
 * addresses of other list_heads: a struct page's lru at +8 in the struct,
 * or a list's head in the zone's free_area or a per-CPU line.  Lists are
 * circular with the head as a node, so an empty list's head points at
 * itself.  That is why unlinking a page from the middle of a list (buddy
 * merging) touches its neighbours' struct pages: each neighbour's pointer
 * must be rewritten.  The stores are in __list_add()'s and
 * __list_del()'s order; entries are not poisoned after deletion (a
 * debugging aid in Linux, two more stores).
 *
 * The pointers are read from memory, not from a host-side copy: the lists
 * in simulated memory are the allocator's only truth.
 */
#include "kpriv.h"

static void check_node(const Kernel *k, uint64_t node)
{
	/* A list pointer is a struct page's lru, a free_area head or a
	 * per-CPU list head; anything else means the lists are corrupt. */
	if (node >= kl_page_node(k, 0))
		(void)kl_node_pfn(k, node);
	else
		g_assert(node >= k->l.free_area && node < kl_pcp(k, k->n_cores));
}

/* list_del(entry): next->prev = prev; prev->next = next.  In: f->entry. */
KStep kl_list_del(Kernel *k, KCore *kc, KListDelFrame *f)
{
	KM_BEGIN(f);
	LOAD(f->entry + 0, "list_del.next");
	f->next = kc->val;
	LOAD(f->entry + 8, "list_del.prev");
	f->prev = kc->val;
	check_node(k, f->next);
	check_node(k, f->prev);
	STORE(f->next + 8, f->prev, "list_del");
	STORE(f->prev + 0, f->next, "list_del");
	KM_END(f);
}

/* list_add(entry, head), or list_add_tail() when f->tail: links entry
 * after head (or before it, at the tail).  In: f->entry, f->head, f->tail. */
KStep kl_list_add(Kernel *k, KCore *kc, KListAddFrame *f)
{
	KM_BEGIN(f);
	if (!f->tail) {
		/* __list_add(new, head, head->next) */
		LOAD(f->head + 0, "list_add");
		f->other = kc->val;
		check_node(k, f->other);
		STORE(f->other + 8, f->entry, "list_add");
		STORE(f->entry + 0, f->other, "list_add");
		STORE(f->entry + 8, f->head, "list_add");
		STORE(f->head + 0, f->entry, "list_add");
	} else {
		/* __list_add(new, head->prev, head) */
		LOAD(f->head + 8, "list_add_tail");
		f->other = kc->val;
		check_node(k, f->other);
		STORE(f->head + 8, f->entry, "list_add_tail");
		STORE(f->entry + 0, f->head, "list_add_tail");
		STORE(f->entry + 8, f->other, "list_add_tail");
		STORE(f->other + 0, f->entry, "list_add_tail");
	}
	KM_END(f);
}
