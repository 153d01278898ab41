/* memory.c - sparse physical memory; see memory.h.
 *
 * A 48-bit address splits into 12 + 12 + 12 bits of table index and a
 * 12-bit offset into a 4 KiB leaf page of 512 words.  Interior tables are
 * 4096 pointers (32 KiB) and allocated on first write, so a trace that
 * touches addresses all over the 2^48 space pays ~64 KiB for its first
 * page in a new 16 GiB region and 4 KiB for each further page.  Reads of
 * untouched memory allocate nothing.
 */
#include <glib.h>
#include <string.h>

#include "memory.h"

#define LEVEL_BITS 12
#define LEVEL_SIZE (1u << LEVEL_BITS)
#define LEVEL_MASK (LEVEL_SIZE - 1)
#define WORDS_PER_PAGE (MEM_PAGE_SIZE / 8)

typedef struct {
	uint64_t words[WORDS_PER_PAGE];
} Page;

typedef struct {
	Page *pages[LEVEL_SIZE];
} Leaf;

typedef struct {
	Leaf *leaves[LEVEL_SIZE];
} Middle;

/* A small direct-mapped cache of recently used pages in front of the radix
 * table, like a TLB: the three-level walk touches three host cache lines
 * that a large trace rarely finds warm. */
#define PAGE_CACHE_SIZE 1024

struct Memory {
	uint64_t size;
	uint64_t pages_touched;
	struct {
		uint64_t page_number; /* addr >> MEM_PAGE_SHIFT, + 1 so that 0 is empty */
		Page *page;
	} cache[PAGE_CACHE_SIZE];
	Middle *top[LEVEL_SIZE];
};

Memory *mem_new(uint64_t size)
{
	g_assert(size <= (UINT64_C(1) << MEM_MAX_ADDR_BITS));
	Memory *mem = g_new0(Memory, 1);
	mem->size = size;
	return mem;
}

void mem_free(Memory *mem)
{
	if (!mem)
		return;
	for (unsigned i = 0; i < LEVEL_SIZE; i++) {
		Middle *mid = mem->top[i];
		if (!mid)
			continue;
		for (unsigned j = 0; j < LEVEL_SIZE; j++) {
			Leaf *leaf = mid->leaves[j];
			if (!leaf)
				continue;
			for (unsigned k = 0; k < LEVEL_SIZE; k++)
				g_free(leaf->pages[k]);
			g_free(leaf);
		}
		g_free(mid);
	}
	g_free(mem);
}

uint64_t mem_size(const Memory *mem)
{
	return mem->size;
}

uint64_t mem_pages_touched(const Memory *mem)
{
	return mem->pages_touched;
}

static inline unsigned top_index(uint64_t addr)
{
	return (addr >> (MEM_PAGE_SHIFT + 2 * LEVEL_BITS)) & LEVEL_MASK;
}

static inline unsigned mid_index(uint64_t addr)
{
	return (addr >> (MEM_PAGE_SHIFT + LEVEL_BITS)) & LEVEL_MASK;
}

static inline unsigned leaf_index(uint64_t addr)
{
	return (addr >> MEM_PAGE_SHIFT) & LEVEL_MASK;
}

/* The page holding addr, or NULL if it was never written.  Reading
 * refreshes the page cache, which is not part of memory's value: mem is
 * const to callers. */
static const Page *find_page(const Memory *cmem, uint64_t addr)
{
	Memory *mem = (Memory *)cmem;
	uint64_t pn = (addr >> MEM_PAGE_SHIFT) + 1;
	unsigned slot = (unsigned)(pn & (PAGE_CACHE_SIZE - 1));
	if (G_LIKELY(mem->cache[slot].page_number == pn))
		return mem->cache[slot].page;
	const Middle *mid = mem->top[top_index(addr)];
	if (!mid)
		return NULL;
	const Leaf *leaf = mid->leaves[mid_index(addr)];
	if (!leaf)
		return NULL;
	Page *page = leaf->pages[leaf_index(addr)];
	if (page) {
		mem->cache[slot].page_number = pn;
		mem->cache[slot].page = page;
	}
	return page;
}

static Page *get_page(Memory *mem, uint64_t addr)
{
	g_assert(addr < mem->size);
	Page *cached = (Page *)find_page(mem, addr);
	if (G_LIKELY(cached))
		return cached;
	Middle **midp = &mem->top[top_index(addr)];
	if (!*midp)
		*midp = g_new0(Middle, 1);
	Leaf **leafp = &(*midp)->leaves[mid_index(addr)];
	if (!*leafp)
		*leafp = g_new0(Leaf, 1);
	Page **pagep = &(*leafp)->pages[leaf_index(addr)];
	if (!*pagep) {
		*pagep = g_new0(Page, 1);
		mem->pages_touched++;
	}
	return *pagep;
}

uint64_t mem_read_word(const Memory *mem, uint64_t addr)
{
	g_assert((addr & 7) == 0 && addr < mem->size);
	const Page *page = find_page(mem, addr);
	return page ? page->words[(addr & (MEM_PAGE_SIZE - 1)) >> 3] : 0;
}

void mem_write_word(Memory *mem, uint64_t addr, uint64_t value)
{
	g_assert((addr & 7) == 0);
	get_page(mem, addr)->words[(addr & (MEM_PAGE_SIZE - 1)) >> 3] = value;
}

/* Lines never straddle pages: a line is at most one page and aligned. */
void mem_read_line(const Memory *mem, uint64_t addr, uint64_t *dst, unsigned nwords)
{
	g_assert(nwords * 8 <= MEM_PAGE_SIZE && (addr & (nwords * 8 - 1)) == 0);
	const Page *page = find_page(mem, addr);
	if (page)
		memcpy(dst, &page->words[(addr & (MEM_PAGE_SIZE - 1)) >> 3], nwords * 8);
	else
		memset(dst, 0, nwords * 8);
}

void mem_write_line(Memory *mem, uint64_t addr, const uint64_t *src, unsigned nwords)
{
	g_assert(nwords * 8 <= MEM_PAGE_SIZE && (addr & (nwords * 8 - 1)) == 0);
	memcpy(&get_page(mem, addr)->words[(addr & (MEM_PAGE_SIZE - 1)) >> 3], src, nwords * 8);
}
