/* layout.h - where the simulated kernel's allocator lives in physical
 * memory.  The zone, its metadata (mem_map, per-CPU lists, the zone's
 * lines) and its page frames sit at the top of physical memory; a plain
 * workload address inside this region is an error, and its pages are
 * reached only through registers that alloc filled.
 *
 * The region, from its base (1 MiB aligned) upwards:
 *
 *   zone lines    one "kernel line" each (KLayout.kline bytes: the cache
 *                 line, but at least 64 bytes, as ____cacheline_aligned
 *                 would give on a machine with 64-byte lines):
 *                   wmark      min +0, low +8, high +16            read-mostly
 *                   lock       ticket: next +0, owner +8; ttas: +0  the zone lock
 *                   free_area  per order o at +32*o: list_head {next +0,
 *                              prev +8}, nr_free +16  (two orders a 64-byte line)
 *                   vmstat     NR_FREE_PAGES +0
 *   per-CPU pages one kernel line per core (room for WL_MAX_CORES):
 *                   lock +0, count +8, high +16, batch +24, list_head +32/+40
 *   mem_map       one 64-byte struct page per page frame
 *   page frames   4 KiB each, the zone's pages, up to the end of memory
 *
 * Why these lines: the watermarks are read by every allocation and written
 * never after boot, so they sit alone and stay Shared in every cache; the
 * lock gets its own line so that cores spinning on it do not steal the free
 * lists from the holder (Linux puts zone->lock in the same padding group as
 * free_area; we keep them apart so that the lock's traffic is visible on its
 * own); NR_FREE_PAGES is written by every buddy operation and read by every
 * watermark check, so it is kept away from the read-mostly watermarks.  A
 * per-CPU line is touched only by its own core.  A struct page is 64 bytes,
 * as in Linux: with 64-byte lines one struct page is one line; with 128-byte
 * lines two neighbouring struct pages share one, and their cores see false
 * sharing, as they would on such a machine.
 */
#ifndef LABYRINTH_KERNEL_LAYOUT_H
#define LABYRINTH_KERNEL_LAYOUT_H

#include <glib.h>
#include <stdint.h>

#include "input/config.h"

#define KERNEL_PAGE_SIZE 4096u
#define KERNEL_PAGE_SHIFT 12
#define KERNEL_REGION_ALIGN (UINT64_C(1) << 20)
#define KERNEL_STRUCT_PAGE 64u /* bytes of a struct page */
#define KERNEL_MAX_ORDER 10    /* orders 0..10, as Linux's MAX_PAGE_ORDER */
#define KERNEL_FREE_AREA_STRIDE 32u
#define KERNEL_ZONE_LINES 16u  /* kernel lines reserved for the zone's own lines */

/* Word offsets inside the zone's lines, a per-CPU line and a struct page. */
enum {
	KL_WMARK_MIN = 0,
	KL_WMARK_LOW = 8,
	KL_WMARK_HIGH = 16,
	KL_LOCK_NEXT = 0, /* ticket lock: next ticket; ttas: the lock word */
	KL_LOCK_OWNER = 8,
	KL_FA_NEXT = 0, /* free_area[o]: list_head.next */
	KL_FA_PREV = 8,
	KL_FA_NR_FREE = 16,
	KL_PCP_LOCK = 0,
	KL_PCP_COUNT = 8,
	KL_PCP_HIGH = 16,
	KL_PCP_BATCH = 24,
	KL_PCP_LIST = 32, /* list_head {next +32, prev +40} */
	KL_PAGE_FLAGS = 0,
	KL_PAGE_LRU = 8, /* list_head {next +8, prev +16} */
	KL_PAGE_PRIVATE = 24, /* the buddy order while PG_buddy is set */
	KL_PAGE_REFCOUNT = 32,
};

/* Addresses of everything in the region, from the configuration. */
typedef struct {
	uint64_t base;      /* first byte of the region */
	unsigned kline;     /* bytes between separately placed objects: max(line, 64) */
	uint64_t wmark;     /* the watermark line */
	uint64_t lock;      /* the zone lock line */
	uint64_t free_area; /* free_area[0]; free_area[o] at + KERNEL_FREE_AREA_STRIDE * o */
	uint64_t vmstat;    /* the NR_FREE_PAGES line */
	uint64_t pcp;       /* core c's per-CPU pages at + c * kline */
	uint64_t mem_map;   /* struct page of frame i at + 64 * i */
	uint64_t frames;    /* page frame i at + 4096 * i */
	uint64_t n_pages;   /* frames in the zone */
} KLayout;

/* Bytes the region takes: the zone's lines and per-CPU lines (rounded up to
 * 1 MiB), mem_map (rounded up to 4 KiB) and the page frames; the total is
 * rounded up to 1 MiB.  Needs a validated cache.line. */
uint64_t kernel_region_size(const Config *cfg);
/* The first byte of the region: mem_size - kernel_region_size(). */
uint64_t kernel_region_base(const Config *cfg);
void kernel_layout(const Config *cfg, KLayout *l);

/* The configuration's rules that need the layout, checked after
 * config_validate(): the region (page frames, their metadata, rounded up
 * to 1 MiB) fits at the top of memory with at least a page of plain memory
 * below it.  FALSE with CONFIG_ERROR_VALUE naming allocator.zone_pages. */
gboolean kernel_config_check(const Config *cfg, GError **error);

#endif
