/* layout.c - the allocator region's place, size and inner layout; see
 * layout.h for the picture and the reasons. */
#include "layout.h"
#include "input/workload.h"

static uint64_t round_up(uint64_t v, uint64_t to)
{
	return (v + to - 1) / to * to;
}

static unsigned kline_of(const Config *cfg)
{
	return cfg->line > 64 ? cfg->line : 64;
}

/* The zone's lines and every possible core's per-CPU line. */
static uint64_t meta_size(const Config *cfg)
{
	uint64_t lines = KERNEL_ZONE_LINES + WL_MAX_CORES;
	return round_up(lines * kline_of(cfg), KERNEL_REGION_ALIGN);
}

static uint64_t mem_map_size(const Config *cfg)
{
	return round_up(cfg->zone_pages * KERNEL_STRUCT_PAGE, KERNEL_PAGE_SIZE);
}

uint64_t kernel_region_size(const Config *cfg)
{
	uint64_t bytes = meta_size(cfg) + mem_map_size(cfg) + cfg->zone_pages * KERNEL_PAGE_SIZE;
	return round_up(bytes, KERNEL_REGION_ALIGN);
}

uint64_t kernel_region_base(const Config *cfg)
{
	return cfg->mem_size - kernel_region_size(cfg);
}

void kernel_layout(const Config *cfg, KLayout *l)
{
	unsigned kl = kline_of(cfg);
	uint64_t fa_bytes = round_up((KERNEL_MAX_ORDER + 1) * KERNEL_FREE_AREA_STRIDE, kl);

	l->base = kernel_region_base(cfg);
	l->kline = kl;
	l->wmark = l->base;
	l->lock = l->wmark + kl;
	l->free_area = l->lock + kl;
	l->vmstat = l->free_area + fa_bytes;
	l->pcp = l->base + (uint64_t)KERNEL_ZONE_LINES * kl;
	g_assert(l->vmstat + kl <= l->pcp);
	l->mem_map = l->base + meta_size(cfg);
	l->n_pages = cfg->zone_pages;
	/* The frames end where memory ends; the region's rounding is slack
	 * between mem_map and the first frame. */
	l->frames = cfg->mem_size - cfg->zone_pages * KERNEL_PAGE_SIZE;
	g_assert(l->mem_map + mem_map_size(cfg) <= l->frames);
}

gboolean kernel_config_check(const Config *cfg, GError **error)
{
	/* kernel_region_size() multiplies zone_pages; keep it from wrapping. */
	gboolean fits = cfg->zone_pages <= cfg->mem_size / (KERNEL_PAGE_SIZE + KERNEL_STRUCT_PAGE) &&
			kernel_region_size(cfg) < cfg->mem_size;
	if (fits)
		return TRUE;
	g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_VALUE,
		    "allocator.zone_pages: %" G_GUINT64_FORMAT " pages (%" G_GUINT64_FORMAT
		    " bytes) and their metadata (64 bytes a page and 1 MiB, rounded up to 1 MiB) "
		    "do not fit below memory.size (%" G_GUINT64_FORMAT
		    " bytes) with plain memory left below",
		    cfg->zone_pages, cfg->zone_pages * KERNEL_PAGE_SIZE, cfg->mem_size);
	return FALSE;
}
