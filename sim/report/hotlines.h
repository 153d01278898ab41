/* hotlines.h - the contention report: which cache lines carry the
 * coherence traffic, who touches which words of them, and why.
 *
 * A machine observer aggregates, per line touched: the copies its
 * transactions invalidated in other caches, the cache-to-cache transfers
 * and Dragon updates it caused, its bus transactions, and for each core
 * the 8-byte words it read and wrote.  The report ranks lines by traffic
 * (invalidations + transfers + updates) and gives each a verdict:
 *  - "allocator metadata": the kernel allocator touched it for its own
 *    bookkeeping (an access under CTX_KERNEL_META);
 *  - "true sharing": two cores touch a common word and one of them writes it;
 *  - "false sharing": two or more cores, no word in common with a writer,
 *    and someone writes: the cores fight over the line, not the data;
 *  - "read sharing": two or more cores, nobody writes;
 *  - "private": one core's accesses (the traffic comes from claims or
 *    another core's allocator work).
 * The verdict looks at the whole run.
 *
 * Memory: one record per line touched, with one (core, read words,
 * written words) entry per core that touched it: the id and two masks of
 * line/512 64-bit words (at least one), 24 bytes for 64-byte lines.
 */
#ifndef LABYRINTH_HOTLINES_H
#define LABYRINTH_HOTLINES_H

#include <json-glib/json-glib.h>
#include <stdio.h>

#include "machine/machine.h"

typedef struct HotLines HotLines;

/* Starts watching m (an observer) until hotlines_free(). */
HotLines *hotlines_new(Machine *m);
void hotlines_free(HotLines *h);

/* Lines with any traffic, the busiest first (ties: lower address first). */
unsigned hotlines_count(const HotLines *h);

/* The top n as the JSON array of docs/stats.md ("hot_lines"). */
void hotlines_add_json(const HotLines *h, unsigned n, JsonBuilder *b);
/* The top n as a table for people. */
void hotlines_print(const HotLines *h, unsigned n, FILE *out);

/* One ranked line, for tests and other reports; i < hotlines_count(). */
typedef struct {
	uint64_t line;
	uint64_t invalidations; /* copies removed from other caches by this line's transactions */
	uint64_t transfers;     /* cache-to-cache transfers of this line */
	uint64_t updates;       /* BusUpd of this line (Dragon) */
	uint64_t txns;          /* every bus transaction for this line, its write-backs included */
	unsigned n_cores;       /* cores whose accesses touched it */
	const char *verdict;
} HotLineInfo;
void hotlines_get(const HotLines *h, unsigned i, HotLineInfo *info);
/* Core k (k < n_cores, in core order) of ranked line i and its word
 * masks: bit w of word w / 64 is word w of the line. */
unsigned hotlines_core(const HotLines *h, unsigned i, unsigned k, const uint64_t **read,
		       const uint64_t **written);

#endif
