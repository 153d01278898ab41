/* opstream.h - every core's stream of operations from one pass over the
 * workload file.
 *
 * The engines want "core c's next operation" in whatever order the cores
 * happen to run.  One cursor per core would read the whole file once per
 * core (sixteen times for sixteen cores).  Instead one shared cursor reads
 * the file in order and hands each operation to its core through a
 * per-core queue.  How far apart the cores drift is unbounded (in timing
 * mode a core with many misses falls millions of operations behind, and a
 * file may hold all of core 0 before all of core 1), so a queue keeps at
 * most OPSTREAM_RING operations in memory and spills the rest, in order,
 * to an unlinked temporary file that it reads back in batches.  Memory
 * stays bounded; disk holds 48 bytes per operation of drift, only while
 * the drift lasts.  The file is parsed in a thread of its own, a few
 * thousand operations ahead of the simulation. */
#ifndef LABYRINTH_OPSTREAM_H
#define LABYRINTH_OPSTREAM_H

#include "input/workload.h"

#define OPSTREAM_RING 1024  /* operations in memory per core */
#define OPSTREAM_SPILL 256  /* operations written to the spill file at once */

typedef struct OpStreams OpStreams;

OpStreams *opstreams_new(WlFile *wl, unsigned n_cores, GError **error);
void opstreams_free(OpStreams *s);
/* 1: *op is core's next operation; 0: core has no more; -1: *error. */
int opstreams_next(OpStreams *s, unsigned core, WlOp *op, GError **error);
/* The next operation of any core, in file order (--schedule file).  Do
 * not mix with opstreams_next() on the same OpStreams. */
int opstreams_next_any(OpStreams *s, WlOp *op, GError **error);
/* Operations spilled to disk so far, all cores (for tests and reports). */
uint64_t opstreams_spilled(const OpStreams *s);

#endif
