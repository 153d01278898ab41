/* sweep_pool.h - the processes of a sweep: `labyrinth gen` for the
 * generated workloads, and one `labyrinth run` per point, at most N at a
 * time.  Points run as subprocesses rather than in this process: a point
 * that deadlocks, aborts on a broken invariant or runs out of memory fails
 * alone, and the command line of each is exactly what a cluster job runs
 * (sweep_jobs.h).
 */
#ifndef LABYRINTH_SWEEP_POOL_H
#define LABYRINTH_SWEEP_POOL_H

#include "sweep.h"

/* Runs `bin gen` for each core count whose workload is not in DIR yet: the
 * same code and the same bytes as the command.  TRUE for a grid without
 * --gen. */
gboolean sweep_pool_generate(const SweepGrid *g, const char *bin, const char *dir,
			     GError **error);

/* What sweep_pool_run() did. */
typedef struct {
	gsize run;     /* points run now */
	gsize failed;  /* of those, points that failed (each left an ID.err saying why) */
	gsize skipped; /* points not run because their JSON was there already */
} SweepPoolCounts;

/* Runs every point of g without a JSON in DIR through bin, at most jobs at
 * a time, showing progress on stderr when it is a terminal.  The order they
 * finish in does not matter: nothing is kept from it. */
void sweep_pool_run(const SweepGrid *g, const char *bin, const char *dir, unsigned jobs,
		    SweepPoolCounts *counts);

#endif
