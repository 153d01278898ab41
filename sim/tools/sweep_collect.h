/* sweep_collect.h - DIR/sweep.csv from the points' files, in grid order,
 * the same way after a local run and after the jobs of --emit-jobs ran
 * elsewhere (--collect), so that it depends on the grid alone.
 */
#ifndef LABYRINTH_SWEEP_COLLECT_H
#define LABYRINTH_SWEEP_COLLECT_H

#include "sweep.h"

/* Builds DIR/sweep.csv.  Every point with a JSON is "ok"; one without is
 * "failed" if its .err says why, else "missing" (not run, or a cluster job
 * still running).  Those are named on stderr.  Returns the number of
 * points that are not ok, or -1 with error. */
gssize sweep_collect_csv(const SweepGrid *g, const char *dir, GError **error);

#endif
