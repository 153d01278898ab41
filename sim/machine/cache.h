/* cache.h - one private set-associative cache: tags, data and exact LRU.
 *
 * The array maps a line address to a slot and nothing else; replacement
 * is exact LRU; the coherence state lives beside the tag, indexed by slot,
 * but its meaning belongs to the protocol (state 0 is "not present").
 * Protocol logic never enters this file (see sim/machine/coherence.c).
 */
#ifndef LABYRINTH_CACHE_H
#define LABYRINTH_CACHE_H

#include <stdint.h>

/* The struct is visible only so the accessors below can be inlined on the
 * access path; callers use the functions, never the fields. */
typedef struct Cache {
	unsigned line;      /* bytes */
	unsigned line_shift;
	unsigned assoc;
	unsigned n_sets;    /* a power of two */
	unsigned words;     /* 8-byte words per line */
	uint64_t clock;     /* LRU time: bumped on every touch */
	uint64_t *tags;     /* [slot] line address */
	uint64_t *stamps;   /* [slot] LRU time of the last touch */
	uint8_t *states;    /* [slot] protocol state; 0 = not present */
	uint64_t *data;     /* [slot * words] */
} Cache;

/* size and line in bytes, powers of two; size / (assoc * line) sets, a
 * power of two.  Validated by config_validate() before this is called. */
Cache *cache_new(uint64_t size, unsigned assoc, unsigned line);
void cache_free(Cache *c);

unsigned cache_line_size(const Cache *c);
unsigned cache_n_slots(const Cache *c);

static inline unsigned cache_set_first_slot_(const Cache *c, uint64_t line_addr)
{
	return (unsigned)((line_addr >> c->line_shift) & (c->n_sets - 1)) * c->assoc;
}

/* The slot holding line_addr in a valid (non-zero) state, or -1. */
static inline int cache_lookup(const Cache *c, uint64_t line_addr)
{
	unsigned first = cache_set_first_slot_(c, line_addr);
	for (unsigned s = first; s < first + c->assoc; s++)
		if (c->tags[s] == line_addr && c->states[s] != 0)
			return (int)s;
	return -1;
}

/* The slot a fill of line_addr takes: the lowest-numbered invalid way of
 * its set, otherwise the least recently used way.  Does not change it. */
int cache_victim(const Cache *c, uint64_t line_addr);

/* Makes slot the most recently used of its set. */
static inline void cache_touch(Cache *c, int slot)
{
	c->stamps[slot] = ++c->clock;
}

/* Gives slot to line_addr (state unchanged: the caller sets it). */
static inline void cache_set_tag(Cache *c, int slot, uint64_t line_addr)
{
	c->tags[slot] = line_addr;
}

static inline uint64_t cache_tag(const Cache *c, int slot)
{
	return c->tags[slot];
}

static inline uint8_t cache_state(const Cache *c, int slot)
{
	return c->states[slot];
}

static inline void cache_set_state(Cache *c, int slot, uint8_t state)
{
	c->states[slot] = state;
}

/* The line's words (line / 8 of them). */
static inline uint64_t *cache_data(Cache *c, int slot)
{
	return &c->data[(size_t)slot * c->words];
}

#endif
