/* snoopfilter.h - which caches hold a line, so a bus transaction asks only
 * those caches instead of all of them.  An exact filter (no false
 * positives): a hash table from line address to a bitmask of holders,
 * updated whenever a line enters or leaves a cache.  For machines of up
 * to 64 cores; the controller scans every cache beyond that. */
#ifndef LABYRINTH_SNOOPFILTER_H
#define LABYRINTH_SNOOPFILTER_H

#include <stdint.h>

#define SF_MAX_CORES 64

typedef struct SnoopFilter SnoopFilter;

/* lines: the most lines all caches together can hold; the table starts
 * at a size for them (up to a cap) and grows with the lines cached. */
SnoopFilter *sf_new(uint64_t lines, unsigned line_shift);
void sf_free(SnoopFilter *sf);
void sf_add(SnoopFilter *sf, uint64_t line_addr, unsigned core);
void sf_remove(SnoopFilter *sf, uint64_t line_addr, unsigned core);
/* Bit i is set when cache i holds the line. */
uint64_t sf_holders(const SnoopFilter *sf, uint64_t line_addr);

#endif
