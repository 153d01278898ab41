/* timeline.h - one timing run over time, for `labyrinth plot --timeline`:
 * bus utilization, coherence traffic and the allocator's free pages per
 * time bucket, and the bus transactions of the hottest lines per core.
 *
 * The timing engine reports when the bus is held (timeline_bus_busy) and
 * the free page count after each allocator call (timeline_free_pages).  A
 * machine observer (timeline_attach) sees every access and counts the bus
 * transactions it issued and the copies it invalidated, at the cycle the
 * engine publishes in RunResult.where[core].cycle.
 *
 * Buckets start bucket_cycles wide and double, pairs merging, whenever a
 * run would need more than TIMELINE_MAX_BUCKETS of them: the file has at
 * most that many rows however long the run, and nobody has to guess a
 * bucket size before it.  Memory: the buckets, plus one counter per (line,
 * core) pair that caused bus traffic.
 *
 * The file (TSV, written whole or not at all) has two blocks, separated by
 * two blank lines so gnuplot can address them with `index`; header lines
 * start with '#'.
 *   block 0, one row per bucket: start_cycle, bus_busy_cycles,
 *     bus_utilization (0..1), bus_transactions, invalidations, free_pages
 *     (empty until the allocator has reported, then the lowest count seen
 *     in the bucket, or the last one known).
 *   block 1, the TIMELINE_HOT_LINES lines with the most bus transactions,
 *     one row per (line, core): rank (0 = hottest), line (hex address),
 *     core, transactions the core issued for the line, invalidations of
 *     the core's copy.
 */
#ifndef LABYRINTH_TIMELINE_H
#define LABYRINTH_TIMELINE_H

#include <glib.h>
#include <stdint.h>

#include "engine/engine.h"
#include "machine/machine.h"

#define TIMELINE_MAX_BUCKETS 1024
#define TIMELINE_HOT_LINES 16

typedef struct Timeline Timeline;

/* A timeline to be written to path; bucket_cycles >= 1 is the initial
 * bucket width. */
Timeline *timeline_new(const char *path, unsigned n_cores, uint64_t bucket_cycles);
void timeline_free(Timeline *tl);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Timeline, timeline_free)

/* Observes m's accesses; res->where[core].cycle must be current whenever m
 * performs one (the engines keep it so).  res must outlive the run.  Also
 * sets res->probe, so that timing mode reports the bus and free pages. */
void timeline_attach(Timeline *tl, Machine *m, RunResult *res);
/* The bus was held over cycles [from, to). */
void timeline_bus_busy(Timeline *tl, uint64_t from, uint64_t to);
/* The allocator had pages free pages at cycle. */
void timeline_free_pages(Timeline *tl, uint64_t cycle, uint64_t pages);
/* Counts one access's traffic by hand (what the observer does): its
 * outcome out, by core, at cycle. */
void timeline_note_access(Timeline *tl, unsigned core, uint64_t cycle, const AccessOutcome *out);

/* Current bucket width, in cycles. */
uint64_t timeline_bucket_cycles(const Timeline *tl);
/* Writes the file; end is the run's last cycle (rows stop there). */
gboolean timeline_write(const Timeline *tl, uint64_t end, GError **error);

#endif
