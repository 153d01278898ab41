/* sweep_dir.h - a sweep's directory: DIR/sweep.grid (the grid, so that
 * --collect knows the points and their order), DIR/workloads/ (generated
 * workloads, one per core count), DIR/points/ (ID.json from each run,
 * ID.err with the stderr of a run that said anything or failed) and
 * DIR/sweep.csv.  Every file is written whole or not at all.
 */
#ifndef LABYRINTH_SWEEP_DIR_H
#define LABYRINTH_SWEEP_DIR_H

#include "sweep.h"

/* DIR/sweep.grid */
char *sweep_dir_grid_path(const char *dir);
/* DIR/points/ID.EXT of point i (ext with its dot: ".json", ".err"). */
char *sweep_dir_point_file(const SweepGrid *g, gsize i, const char *dir, const char *ext);
/* Writes data to path whole or not at all (outfile.h). */
gboolean sweep_dir_write_file(const char *path, const char *data, GError **error);
/* Makes DIR and its subdirectories, and refuses a DIR that holds a sweep
 * of another workload or configuration: its points would be taken for this
 * grid's. */
gboolean sweep_dir_prepare(const SweepGrid *g, const char *dir, GError **error);
/* Records the grid in DIR/sweep.grid: call it once the workloads exist, so
 * a sweep that could not even generate them leaves no grid to hold the
 * directory for it. */
gboolean sweep_dir_write_grid(const SweepGrid *g, const char *dir, GError **error);
/* The grid DIR/sweep.grid records. */
SweepGrid *sweep_dir_read_grid(const char *dir, GError **error);

#endif
