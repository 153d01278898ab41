/* cache.h - one private set-associative cache: tags, data and exact LRU.
 *
 * The array maps a line address to a slot and nothing else; replacement
 * is exact LRU; the coherence state lives beside the tag, indexed by slot,
 * but its meaning belongs to the protocol (state 0 is "not present").
 * Protocol logic never enters this file (see sim/coherence.c).
 */
#ifndef LABYRINTH_CACHE_H
#define LABYRINTH_CACHE_H

#include <stdint.h>

typedef struct Cache Cache;

/* size and line in bytes, powers of two; size / (assoc * line) sets, a
 * power of two.  Validated by config_validate() before this is called. */
Cache *cache_new(uint64_t size, unsigned assoc, unsigned line);
void cache_free(Cache *c);

unsigned cache_line_size(const Cache *c);
unsigned cache_n_slots(const Cache *c);

/* The slot holding line_addr in a valid (non-zero) state, or -1. */
int cache_lookup(const Cache *c, uint64_t line_addr);
/* The slot a fill of line_addr takes: the lowest-numbered invalid way of
 * its set, otherwise the least recently used way.  Does not change it. */
int cache_victim(const Cache *c, uint64_t line_addr);
/* Makes slot the most recently used of its set. */
void cache_touch(Cache *c, int slot);
/* Gives slot to line_addr (state unchanged: the caller sets it). */
void cache_set_tag(Cache *c, int slot, uint64_t line_addr);

uint64_t cache_tag(const Cache *c, int slot);
uint8_t cache_state(const Cache *c, int slot);
void cache_set_state(Cache *c, int slot, uint8_t state);
/* The line's words (line / 8 of them). */
uint64_t *cache_data(Cache *c, int slot);

#endif
