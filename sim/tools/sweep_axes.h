/* sweep_axes.h - building a sweep's grid from the lists of the command line
 * (`labyrinth sweep`'s --cores, --protocol, --mode, --set, the workload or
 * --gen), and checking that every point's configuration is valid before
 * anything runs.  Messages name the options the lists came from.
 */
#ifndef LABYRINTH_SWEEP_AXES_H
#define LABYRINTH_SWEEP_AXES_H

#include "sweep.h"

/* What the grid is built from, as given on the command line (NULL: not
 * given).  Exactly one of workload and gen; ops and seed only with gen. */
typedef struct {
	const char *workload; /* the WORKLOAD file */
	const char *gen;      /* --gen PATTERN */
	const char *ops, *seed; /* --ops, --seed: gen's */
	const char *cores;    /* --cores: a list of core counts (a file's own by default) */
	const char *protocol; /* --protocol: "all" or a list (the configuration's by default) */
	const char *mode;     /* --mode: a list */
	const char *config;   /* --config FILE, which every point loads first */
	char **sets;          /* --set GROUP.KEY=LIST..., NULL-terminated */
} SweepSpec;

/* The grid of spec: its axes (cores, protocol, then mode and the --set keys
 * in order), its label, and the workload read and checked against every
 * core count; FALSE (NULL) with SWEEP_ERROR or the reader's error for a
 * bad list, workload or point configuration. */
SweepGrid *sweep_grid_build(const SweepSpec *spec, GError **error);

#endif
