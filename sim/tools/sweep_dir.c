/* sweep_dir.c - the files of a sweep's directory (sweep_dir.h): their
 * names, creating the directory, and the grid file that ties it to one
 * workload and configuration.
 */
#include <errno.h>
#include <string.h>

#include "sweep_dir.h"
#include "util/outfile.h"

char *sweep_dir_grid_path(const char *dir)
{
	return g_build_filename(dir, "sweep.grid", NULL);
}

char *sweep_dir_point_file(const SweepGrid *g, gsize i, const char *dir, const char *ext)
{
	g_autofree char *id = sweep_point_id(g, i);
	g_autofree char *name = g_strconcat(id, ext, NULL);
	return g_build_filename(dir, "points", name, NULL);
}

/* Whole or not at all (outfile.h). */
gboolean sweep_dir_write_file(const char *path, const char *data, GError **error)
{
	return outfile_write_all(path, data, strlen(data), error);
}

/* Makes DIR and its subdirectories, and refuses a DIR that holds a sweep
 * of another workload or configuration: its points would be taken for this
 * grid's. */
gboolean sweep_dir_prepare(const SweepGrid *g, const char *dir, GError **error)
{
	g_autofree char *points = g_build_filename(dir, "points", NULL);
	g_autofree char *workloads = g_build_filename(dir, "workloads", NULL);
	if (g_mkdir_with_parents(points, 0777) != 0 ||
	    (g->gen_pattern && g_mkdir_with_parents(workloads, 0777) != 0))
		return sweep_bad_input(error, "cannot create %s: %s", points, g_strerror(errno));
	g_autofree char *path = sweep_dir_grid_path(dir);
	g_autofree char *old_data = NULL;
	if (g_file_get_contents(path, &old_data, NULL, NULL)) {
		g_autoptr(SweepGrid) old = sweep_grid_from_data(old_data, path, error);
		if (!old)
			return FALSE;
		if (!sweep_grid_same_source(old, g))
			return sweep_bad_input(error,
					       "%s holds a sweep of another workload or "
					       "configuration (see %s); use another -o DIR or "
					       "remove it",
					       dir, path);
	}
	return TRUE;
}

/* Records the grid, once its workloads exist: a sweep that could not even
 * generate them leaves no grid to hold the directory for it. */
gboolean sweep_dir_write_grid(const SweepGrid *g, const char *dir, GError **error)
{
	g_autofree char *path = sweep_dir_grid_path(dir);
	g_autofree char *data = sweep_grid_to_data(g);
	return sweep_dir_write_file(path, data, error);
}

SweepGrid *sweep_dir_read_grid(const char *dir, GError **error)
{
	g_autofree char *path = sweep_dir_grid_path(dir);
	g_autofree char *data = NULL;
	if (!g_file_get_contents(path, &data, NULL, error))
		return NULL;
	return sweep_grid_from_data(data, path, error);
}
