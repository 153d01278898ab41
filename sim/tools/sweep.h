/* sweep.h - the grid of `labyrinth sweep`: its axes, its points in a fixed
 * order, each point's id and `labyrinth run` command line, the grid file
 * that lets --collect rebuild it, and the rows of sweep.csv.
 *
 * Nothing here runs a process or looks at the clock: the same grid gives
 * the same ids, commands and CSV bytes, whichever order the points ran in
 * (sweep_pool.c runs them; sweep_axes.c builds the grid from the command
 * line, sweep_dir.c keeps the directory, sweep_jobs.c writes the points as
 * jobs for a cluster and sweep_collect.c gathers their results).
 */
#ifndef LABYRINTH_SWEEP_H
#define LABYRINTH_SWEEP_H

#include <glib.h>
#include <json-glib/json-glib.h>

#define SWEEP_ERROR (sweep_error_quark())
GQuark sweep_error_quark(void);
typedef enum {
	SWEEP_ERROR_AXIS, /* a bad list of values, or two points with one id */
	SWEEP_ERROR_GRID, /* the grid file cannot be read, or belongs to another sweep */
} SweepError;

/* Sets a SWEEP_ERROR_AXIS error (a bad option, value or directory: the
 * user's to fix) and returns FALSE. */
gboolean sweep_bad_input(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

typedef struct {
	char *name;        /* "cores", "protocol", "mode", or a --set key "group.key" */
	GPtrArray *values; /* of char *, in the order given; no duplicates */
} SweepAxis;

typedef struct {
	/* Where the workload comes from: a file, or `labyrinth gen`. */
	char *workload;    /* the file's absolute path; NULL with gen_pattern */
	char *gen_pattern; /* --gen PATTERN; NULL with workload */
	char *gen_ops, *gen_seed; /* as given on the command line */
	char *config;      /* --config FILE, absolute, or NULL */
	char *label;       /* the workload's name: the CSV's workload column */
	GPtrArray *axes;   /* SweepAxis *; axes[0] is cores, axes[1] protocol */
} SweepGrid;

SweepGrid *sweep_grid_new(void);
void sweep_grid_free(SweepGrid *g);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SweepGrid, sweep_grid_free)

/* Sets axis name to the comma-separated values of list, adding it after the
 * others or, if it exists, replacing its values (a later --set wins).  An
 * empty value or one listed twice is an error. */
gboolean sweep_grid_set_axis(SweepGrid *g, const char *name, const char *list, GError **error);
const SweepAxis *sweep_grid_axis(const SweepGrid *g, const char *name); /* NULL if absent */

/* The points are the cross product of the axes, axis 0 (cores) changing
 * fastest: so each line of a figure (one protocol, one policy...) is a run
 * of consecutive points.  n is the product of the axes' lengths. */
gsize sweep_grid_n_points(const SweepGrid *g);
/* values[a] = point i's value on axis a (borrowed; values has one slot per
 * axis). */
void sweep_grid_point(const SweepGrid *g, gsize i, const char **values);

/* "cores=4,protocol=mesi,allocator.policy=pcp": every axis as name=value in
 * axis order, every byte outside [A-Za-z0-9._=,+-] made '_', so the id is
 * a file name.  sweep_grid_check_ids() fails if two points share one. */
char *sweep_point_id(const SweepGrid *g, gsize i);
gboolean sweep_grid_check_ids(const SweepGrid *g, GError **error);

/* The workload file point i runs: the grid's file, or for a generated
 * workload dir/workloads/PATTERN-cores=N.wl. */
char *sweep_point_workload(const SweepGrid *g, gsize i, const char *dir);
/* The arguments after the binary's name of the `labyrinth run` for point
 * i, writing dir/points/ID.json.  NULL-terminated, for g_strfreev. */
char **sweep_point_run_args(const SweepGrid *g, gsize i, const char *dir);
/* The arguments of the `labyrinth gen` that writes the workload of core
 * count cores, for a grid with gen_pattern. */
char **sweep_gen_args(const SweepGrid *g, const char *cores, const char *dir);

/* The grid file (a GKeyFile) that --collect reads: the source, the label,
 * and the axes in order. */
char *sweep_grid_to_data(const SweepGrid *g);
SweepGrid *sweep_grid_from_data(const char *data, const char *path_for_errors, GError **error);
/* Whether two grids run the same workload with the same configuration
 * file, so points that the two share by id are the same runs. */
gboolean sweep_grid_same_source(const SweepGrid *a, const SweepGrid *b);

/* sweep.csv.  The header: workload, the axes, status, then the statistics
 * of sweep.c's column table. */
char *sweep_csv_header(const SweepGrid *g);
/* Point i's line (newline included).  status is "ok", "failed" or
 * "missing"; stats is the point's JSON when it is "ok", else NULL and the
 * statistics are left empty.  absent (NULL, or one flag per statistics
 * column) gets TRUE for each column whose key stats lacks. */
char *sweep_csv_row(const SweepGrid *g, gsize i, const char *status, JsonNode *stats,
		    gboolean *absent);
/* The statistics columns, in the CSV's order. */
gsize sweep_n_stat_columns(void);
const char *sweep_stat_column(gsize k);

#endif
