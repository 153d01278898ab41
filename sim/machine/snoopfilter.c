/* snoopfilter.c - line -> holders bitmask; see snoopfilter.h.
 *
 * Open addressing with linear probing at most half full, and
 * backward-shift deletion, so there are no tombstones and a lookup stops
 * at the first empty slot.  A slot is empty when its mask is 0.
 *
 * The table starts at twice the lines the caches hold, up to SF_START_MAX
 * slots, and doubles whenever an insertion would fill it past half: its
 * size follows the lines actually cached, not the caches' capacity (64
 * cores of 1 GiB caches would otherwise ask for 32 GiB up front).  The
 * doubling rehashes every entry, O(n) but amortised O(1) per insertion;
 * a machine of the usual size never grows.
 */
#include <glib.h>

#include "snoopfilter.h"

typedef struct {
	uint64_t line;
	uint64_t mask;
} Entry;

/* 2^20 slots (16 MiB): 512 Ki lines cached, 64 cores of 512 KiB caches. */
#define SF_START_MAX_BITS 20

struct SnoopFilter {
	Entry *table;
	uint64_t size_mask; /* slots - 1; slots a power of two */
	unsigned bits;      /* log2(slots) */
	unsigned line_shift;
	uint64_t used;      /* slots with a non-zero mask; at most half of them */
};

static void table_alloc(SnoopFilter *sf, unsigned bits)
{
	sf->bits = bits;
	sf->size_mask = (UINT64_C(1) << bits) - 1;
	sf->table = g_new0(Entry, sf->size_mask + 1);
}

SnoopFilter *sf_new(uint64_t lines, unsigned line_shift)
{
	SnoopFilter *sf = g_new0(SnoopFilter, 1);
	unsigned bits = 4;
	while (bits < SF_START_MAX_BITS && (UINT64_C(1) << bits) < 2 * lines)
		bits++;
	table_alloc(sf, bits);
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

/* Twice the slots, every entry moved to its new home (the rare path). */
static void grow(SnoopFilter *sf)
{
	Entry *old = sf->table;
	uint64_t old_slots = sf->size_mask + 1;
	table_alloc(sf, sf->bits + 1);
	for (uint64_t i = 0; i < old_slots; i++)
		if (old[i].mask)
			sf->table[find(sf, old[i].line)] = old[i];
	g_free(old);
}

void sf_add(SnoopFilter *sf, uint64_t line_addr, unsigned core)
{
	g_assert(core < SF_MAX_CORES);
	uint64_t i = find(sf, line_addr);
	if (!sf->table[i].mask) {
		if (G_UNLIKELY(2 * (sf->used + 1) > sf->size_mask + 1)) {
			grow(sf);
			i = find(sf, line_addr);
		}
		sf->used++;
	}
	Entry *e = &sf->table[i];
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
	sf->used--;
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
