/* cache.c - set-associative array with exact LRU; see cache.h.
 *
 * Slots are numbered set * assoc + way, so a set's tags, states and LRU
 * stamps are contiguous and a lookup scans assoc adjacent entries.  LRU is
 * a per-cache counter stamped on every touch: the least recently used way
 * has the smallest stamp.  Exact, and O(assoc) to pick a victim, which for
 * the usual 2..16 ways costs less than maintaining an ordered list.
 */
#include <glib.h>

#include "cache.h"

Cache *cache_new(uint64_t size, unsigned assoc, unsigned line)
{
	g_assert(line >= 8 && (line & (line - 1)) == 0);
	g_assert(assoc >= 1 && size >= (uint64_t)assoc * line);
	Cache *c = g_new0(Cache, 1);
	c->line = line;
	c->line_shift = (unsigned)__builtin_ctz(line);
	c->assoc = assoc;
	c->n_sets = (unsigned)(size / ((uint64_t)assoc * line));
	g_assert((c->n_sets & (c->n_sets - 1)) == 0);
	c->words = line / 8;
	unsigned n = c->n_sets * assoc;
	c->tags = g_new0(uint64_t, n);
	c->stamps = g_new0(uint64_t, n);
	c->states = g_new0(uint8_t, n);
	c->data = g_new0(uint64_t, (gsize)n * c->words);
	return c;
}

void cache_free(Cache *c)
{
	if (!c)
		return;
	g_free(c->tags);
	g_free(c->stamps);
	g_free(c->states);
	g_free(c->data);
	g_free(c);
}

unsigned cache_line_size(const Cache *c)
{
	return c->line;
}

unsigned cache_n_slots(const Cache *c)
{
	return c->n_sets * c->assoc;
}

int cache_victim(const Cache *c, uint64_t line_addr)
{
	unsigned first = cache_set_first_slot_(c, line_addr);
	unsigned lru = first;
	for (unsigned s = first; s < first + c->assoc; s++) {
		if (c->states[s] == 0)
			return (int)s;
		if (c->stamps[s] < c->stamps[lru])
			lru = s;
	}
	return (int)lru;
}

