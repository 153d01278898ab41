/* zone.c - the zone: its settings derived as Linux derives them, booting
 * it into simulated memory, and the watermark check.
 *
 * Defaults (mm/page_alloc.c, one zone, 4 KiB pages, no highmem):
 *   calculate_min_free_kbytes():  min_free_kbytes = int_sqrt(lowmem_kb * 16),
 *                                 clamped to 128 KiB .. 256 MiB
 *   __setup_per_zone_wmarks():    min  = min_free_kbytes / 4 (pages)
 *                                 tmp  = max(min / 4, managed * 10 / 10000)
 *                                        (watermark_scale_factor = 10)
 *                                 low  = min + tmp, high = low + tmp
 *   zone_batchsize():             batch = min(managed / 1024, 256) / 4, at
 *                                 least 1, rounded down to 2^n - 1 after
 *                                 adding half (63 for zones of 1 GiB and more),
 *                                 at least 1 (zone_set_pageset_high_and_batch)
 *   zone_highsize():              pcp high = max(low / cores, 4 * batch)
 * Each can be set by hand in [allocator]; explicit values win.
 *
 * Boot follows memblock_free_all(): the zone is handed to the buddy
 * allocator in the largest naturally aligned blocks that fit, lowest
 * address first, each added at the tail of its list (FPI_TO_TAIL), so the
 * first allocations come from the bottom of the zone.  Only the struct
 * pages of those blocks are written; every other struct page is zero, as
 * untouched simulated memory reads, so booting a big zone costs little.
 */
#include <inttypes.h>

#include "kpriv.h"

G_DEFINE_QUARK(labyrinth-kernel-error-quark, kernel_error)

static uint64_t isqrt(uint64_t v)
{
	uint64_t r = 0;
	for (uint64_t bit = UINT64_C(1) << 62; bit; bit >>= 2) {
		if (v >= r + bit) {
			v -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
	}
	return r;
}

static uint64_t rounddown_pow_of_two(uint64_t v)
{
	uint64_t p = 1;
	while (p <= v / 2)
		p <<= 1;
	return p;
}

static gboolean derive_settings(Kernel *k, const Config *cfg, GError **error)
{
	uint64_t managed = cfg->zone_pages;
	uint64_t min_free_kb = isqrt(managed * (KERNEL_PAGE_SIZE >> 10) * 16);
	min_free_kb = CLAMP(min_free_kb, 128, 262144);

	k->wmark_min = cfg->min_free ? cfg->min_free : min_free_kb >> (KERNEL_PAGE_SHIFT - 10);
	uint64_t tmp = MAX(k->wmark_min >> 2, managed * 10 / 10000);
	k->wmark_low = cfg->wmark_low ? cfg->wmark_low : k->wmark_min + tmp;
	k->wmark_high = cfg->wmark_high ? cfg->wmark_high : k->wmark_low + tmp;
	if (!(k->wmark_min <= k->wmark_low && k->wmark_low <= k->wmark_high &&
	      k->wmark_high < managed)) {
		g_set_error(error, KERNEL_ERROR, KERNEL_ERROR_CONFIG,
			    "allocator: watermarks min %" PRIu64 ", low %" PRIu64 ", high %" PRIu64
			    " pages (derived where not set) must satisfy min <= low <= high < "
			    "zone_pages (%" PRIu64 "); set allocator.min_free, allocator.low and "
			    "allocator.high for a zone this small",
			    k->wmark_min, k->wmark_low, k->wmark_high, managed);
		return FALSE;
	}

	uint64_t batch = MIN(managed >> 10, (UINT64_C(1) << 20) / KERNEL_PAGE_SIZE) / 4;
	batch = MAX(batch, 1);
	batch = rounddown_pow_of_two(batch + batch / 2) - 1;
	k->batch = cfg->batch ? cfg->batch : (unsigned)MAX(batch, 1);
	uint64_t high = MAX(k->wmark_low / k->n_cores, (uint64_t)k->batch * 4);
	k->pcp_high = cfg->pcp_high ? cfg->pcp_high : (unsigned)MIN(high, G_MAXUINT);
	if (k->pcp_high < k->batch) {
		g_set_error(error, KERNEL_ERROR, KERNEL_ERROR_CONFIG,
			    "allocator: pcp_high (%u) must be at least batch (%u)", k->pcp_high,
			    k->batch);
		return FALSE;
	}
	return TRUE;
}

/* Appends the free block at pfn to the tail of free_area[order], writing
 * memory directly (boot is not simulated traffic). */
static void boot_add_tail(Kernel *k, Memory *mem, uint64_t pfn, unsigned order)
{
	uint64_t head = kl_free_area(k, order) + KL_FA_NEXT;
	uint64_t node = kl_page_node(k, pfn);
	uint64_t tail = mem_read_word(mem, head + 8);
	mem_write_word(mem, node, head);
	mem_write_word(mem, node + 8, tail);
	mem_write_word(mem, tail, node);
	mem_write_word(mem, head + 8, node);
	uint64_t nr = kl_free_area(k, order) + KL_FA_NR_FREE;
	mem_write_word(mem, nr, mem_read_word(mem, nr) + 1);
	mem_write_word(mem, kl_page_struct(k, pfn) + KL_PAGE_FLAGS, PG_BUDDY);
	mem_write_word(mem, kl_page_struct(k, pfn) + KL_PAGE_PRIVATE, order);
}

static void boot(Kernel *k)
{
	Memory *mem = machine_memory(k->m);
	const KLayout *l = &k->l;

	mem_write_word(mem, l->wmark + KL_WMARK_MIN, k->wmark_min);
	mem_write_word(mem, l->wmark + KL_WMARK_LOW, k->wmark_low);
	mem_write_word(mem, l->wmark + KL_WMARK_HIGH, k->wmark_high);
	for (unsigned o = 0; o <= KERNEL_MAX_ORDER; o++) {
		uint64_t head = kl_free_area(k, o) + KL_FA_NEXT;
		mem_write_word(mem, head, head);
		mem_write_word(mem, head + 8, head);
	}
	for (unsigned c = 0; c < k->n_cores; c++) {
		uint64_t pcp = kl_pcp(k, c);
		mem_write_word(mem, pcp + KL_PCP_HIGH, k->pcp_high);
		mem_write_word(mem, pcp + KL_PCP_BATCH, k->batch);
		mem_write_word(mem, pcp + KL_PCP_LIST, pcp + KL_PCP_LIST);
		mem_write_word(mem, pcp + KL_PCP_LIST + 8, pcp + KL_PCP_LIST);
	}
	/* The largest naturally aligned block that fits, lowest first. */
	for (uint64_t pfn = 0; pfn < l->n_pages;) {
		unsigned o = KERNEL_MAX_ORDER;
		while ((pfn & ((UINT64_C(1) << o) - 1)) || pfn + (UINT64_C(1) << o) > l->n_pages)
			o--;
		boot_add_tail(k, mem, pfn, o);
		pfn += UINT64_C(1) << o;
	}
	mem_write_word(mem, l->vmstat, l->n_pages);
	k->buddy_pages = l->n_pages;
}

Kernel *kernel_new(const Config *cfg, Machine *m, GError **error)
{
	Kernel *k = g_new0(Kernel, 1);
	k->m = m;
	k->proto = machine_protocol(m);
	k->n_cores = machine_n_cores(m);
	k->line = machine_line_size(m);
	k->policy = cfg->alloc_policy;
	k->lock_kind = cfg->alloc_lock;
	k->claim = cfg->alloc_claim;
	kernel_layout(cfg, &k->l);
	if (!derive_settings(k, cfg, error)) {
		g_free(k);
		return NULL;
	}
	k->cores = g_new0(KCore, k->n_cores);
	for (unsigned c = 0; c < k->n_cores; c++)
		k->cores[c].id = c;
	k->pstate = g_new0(uint8_t, k->l.n_pages);
	k->pcp_pages = g_new0(uint64_t, k->n_cores);
	k->lock_holder = -1;
	k->lock_owner = -1;
	k->cache_bytes = cfg->cache_size;
	boot(k);
	kstats_init(k);
	return k;
}

void kernel_free(Kernel *k)
{
	if (!k)
		return;
	for (unsigned c = 0; c < k->n_cores; c++)
		g_clear_error(&k->cores[c].error);
	kstats_clear(k);
	g_free(k->cores);
	g_free(k->pstate);
	g_free(k->pcp_pages);
	g_free(k);
}

uint64_t kl_node_pfn(const Kernel *k, uint64_t node)
{
	uint64_t off = node - kl_page_node(k, 0);
	g_assert(node >= kl_page_node(k, 0) && off % KERNEL_STRUCT_PAGE == 0 &&
		 off / KERNEL_STRUCT_PAGE < k->l.n_pages);
	return off / KERNEL_STRUCT_PAGE;
}

const KLayout *kernel_get_layout(const Kernel *k)
{
	return &k->l;
}

/* zone_watermark_ok(): is there more than mark free after this request?
 * In: f->order, f->mark (already lowered for reserves).  Out: f->ok, and
 * f->free (NR_FREE_PAGES minus the 2^order - 1 pages a block of this order
 * cannot use, as __zone_watermark_unusable_free() counts them).
 *
 * NR_FREE_PAGES counts the pages on the buddy lists only, as in Linux:
 * pages on per-CPU lists are already out of the zone's count, which is why
 * pcp high is bounded by the low watermark.  Like Linux, the check reads
 * the counter without the zone lock; the lock is taken only once the
 * check passed. */
KStep kz_watermark_ok(Kernel *k, KCore *kc, KWatermarkOkFrame *f)
{
	KM_BEGIN(f);
	LOAD(k->l.vmstat, "zone_page_state");
	f->free = (int64_t)kc->val - (int64_t)((UINT64_C(1) << f->order) - 1);
	f->ok = 0;
	if (f->free <= (int64_t)f->mark)
		goto out;
	f->ok = 1;
	if (f->order == 0)
		goto out;
	/* A high-order request also needs a free block of its order or more. */
	for (f->o = f->order; f->o <= KERNEL_MAX_ORDER; f->o++) {
		LOAD(kl_free_area(k, f->o) + KL_FA_NR_FREE, "free_area.nr_free");
		if (kc->val)
			break;
	}
	f->ok = f->o <= KERNEL_MAX_ORDER;
out:;
	KM_END(f);
}
