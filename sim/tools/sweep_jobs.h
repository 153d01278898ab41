/* sweep_jobs.h - --emit-jobs: a sweep's points as shell commands for other
 * machines (one a line, e.g. for GNU parallel) and a Slurm job array that
 * runs them, leaving the same files in DIR as a local run.
 */
#ifndef LABYRINTH_SWEEP_JOBS_H
#define LABYRINTH_SWEEP_JOBS_H

#include "sweep.h"

/* Writes FILE (the command of every point without a JSON in DIR) and an
 * executable FILE.slurm, and says on stderr what to do next. */
gboolean sweep_jobs_emit(const SweepGrid *g, const char *bin, const char *dir, const char *file,
			 GError **error);

#endif
