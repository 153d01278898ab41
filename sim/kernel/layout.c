/* layout.c - the allocator region's place and size; see layout.h. */
#include "layout.h"

uint64_t kernel_region_size(const Config *cfg)
{
	uint64_t bytes = cfg->zone_pages * (KERNEL_PAGE_SIZE + 64) + KERNEL_REGION_ALIGN;
	return (bytes + KERNEL_REGION_ALIGN - 1) & ~(KERNEL_REGION_ALIGN - 1);
}

uint64_t kernel_region_base(const Config *cfg)
{
	return cfg->mem_size - kernel_region_size(cfg);
}
