/* layout.h - where the simulated kernel's allocator lives in physical
 * memory.  The zone, its metadata (mem_map, per-CPU lists, the zone's
 * lines) and its page frames sit at the top of physical memory; a plain
 * workload address inside this region is an error, and its pages are
 * reached only through registers that alloc filled. */
#ifndef LABYRINTH_KERNEL_LAYOUT_H
#define LABYRINTH_KERNEL_LAYOUT_H

#include <stdint.h>

#include "config.h"

#define KERNEL_PAGE_SIZE 4096u
#define KERNEL_REGION_ALIGN (UINT64_C(1) << 20)

/* Bytes the region takes: page frames, one 64-byte struct page per frame,
 * and 1 MiB for the zone's lines and the per-CPU lists, rounded up to 1 MiB. */
uint64_t kernel_region_size(const Config *cfg);
/* The first byte of the region: mem_size - kernel_region_size(). */
uint64_t kernel_region_base(const Config *cfg);

#endif
