/* snoopfilter.c - line -> holders bitmask; see snoopfilter.h.
 *
 * Open addressing with linear probing at most half full (the table has
 * twice as many slots as the caches have lines), and backward-shift
 * deletion, so there are no tombstones and a lookup stops at the first
 * empty slot.  A slot is empty when its mask is 0.
 */
#include <glib.h>

#include "snoopfilter.h"

typedef struct {
	uint64_t line;
	uint64_t mask;
} Entry;

struct SnoopFilter {
	Entry *table;
	uint64_t size_mask; /* slots - 1; slots a power of two */
	unsigned bits;      /* log2(slots) */
	unsigned line_shift;
};

SnoopFilter *sf_new(uint64_t lines, unsigned line_shift)
{
	SnoopFilter *sf = g_new0(SnoopFilter, 1);
	unsigned bits = 4;
	while ((UINT64_C(1) << bits) < 2 * lines)
		bits++;
	sf->bits = bits;
	sf->size_mask = (UINT64_C(1) << bits) - 1;
	sf->table = g_new0(Entry, sf->size_mask + 1);
	sf->line_shift = line_shift;
	return sf;
}

void sf_free(SnoopFilter *sf)
{
	if (!sf)
		return;
	g_free(sf->table);
	g_free(sf);
}

static inline uint64_t home(const SnoopFilter *sf, uint64_t line_addr)
{
	/* Fibonacci hashing of the line number: neighbouring lines spread. */
	return ((line_addr >> sf->line_shift) * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - sf->bits);
}

static inline uint64_t find(const SnoopFilter *sf, uint64_t line_addr)
{
	uint64_t i = home(sf, line_addr);
	while (sf->table[i].mask && sf->table[i].line != line_addr)
		i = (i + 1) & sf->size_mask;
	return i;
}

void sf_add(SnoopFilter *sf, uint64_t line_addr, unsigned core)
{
	g_assert(core < SF_MAX_CORES);
	Entry *e = &sf->table[find(sf, line_addr)];
	e->line = line_addr;
	e->mask |= UINT64_C(1) << core;
}

void sf_remove(SnoopFilter *sf, uint64_t line_addr, unsigned core)
{
	uint64_t i = find(sf, line_addr);
	Entry *e = &sf->table[i];
	g_assert(e->mask & (UINT64_C(1) << core));
	e->mask &= ~(UINT64_C(1) << core);
	if (e->mask)
		return;
	/* Backward shift: pull later entries of the probe run into the hole
	 * unless that would move them before their home slot. */
	uint64_t hole = i, j = i;
	for (;;) {
		j = (j + 1) & sf->size_mask;
		if (!sf->table[j].mask)
			break;
		uint64_t h = home(sf, sf->table[j].line);
		/* Does h lie cyclically in (hole, j]?  Then the entry stays. */
		if (hole <= j ? (h > hole && h <= j) : (h > hole || h <= j))
			continue;
		sf->table[hole] = sf->table[j];
		sf->table[j].mask = 0;
		hole = j;
	}
}

uint64_t sf_holders(const SnoopFilter *sf, uint64_t line_addr)
{
	return sf->table[find(sf, line_addr)].mask;
}
