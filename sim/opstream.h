/* opstream.h - every core's stream of operations from one workload file,
 * read in a single pass when the file interleaves the cores.
 *
 * The engines want "core c's next operation" in whatever order the cores
 * happen to run.  One cursor per core would read the whole file once per
 * core (sixteen times for sixteen cores).  Instead one shared cursor reads
 * the file in order and hands each operation to its core through a small
 * per-core queue.  A file laid out core by core (all of core 0, then all
 * of core 1) would need unbounded queues; when a core's queue fills up,
 * that core switches to a cursor of its own that skips what it already
 * has, and the shared reader drops its lines from then on.  Memory stays
 * bounded either way: OPSTREAM_QUEUE operations per core. */
#ifndef LABYRINTH_OPSTREAM_H
#define LABYRINTH_OPSTREAM_H

#include "workload.h"

#define OPSTREAM_QUEUE 1024

typedef struct OpStreams OpStreams;

OpStreams *opstreams_new(WlFile *wl, unsigned n_cores, GError **error);
void opstreams_free(OpStreams *s);
/* 1: *op is core's next operation; 0: core has no more; -1: *error. */
int opstreams_next(OpStreams *s, unsigned core, WlOp *op, GError **error);

#endif
