/* sweep_jobs.c - the points of a sweep as jobs for other machines
 * (sweep_jobs.h).  Each command runs `labyrinth run` with absolute paths
 * and leaves an ID.err when it fails, as the local pool does.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "sweep_dir.h"
#include "sweep_jobs.h"

static char *job_line(const SweepGrid *g, gsize i, const char *bin, const char *dir)
{
	g_auto(GStrv) args = sweep_point_run_args(g, i, dir);
	g_autofree char *err_path = sweep_dir_point_file(g, i, dir, ".err");
	g_autofree char *err_q = g_shell_quote(err_path);
	GString *line = g_string_new("if ");
	g_autofree char *bin_q = g_shell_quote(bin);
	g_string_append(line, bin_q);
	for (char **a = args; *a; a++) {
		g_autofree char *q = g_shell_quote(*a);
		g_string_append_printf(line, " %s", q);
	}
	/* The same files as a local run: a failure always leaves an .err. */
	g_string_append_printf(line,
			       " >/dev/null 2>%s; then rm -f %s; else s=$?; [ -s %s ] || echo "
			       "\"labyrinth run exited with status $s\" >%s; exit $s; fi\n",
			       err_q, err_q, err_q, err_q);
	return g_string_free(line, FALSE);
}

gboolean sweep_jobs_emit(const SweepGrid *g, const char *bin, const char *dir, const char *file,
			 GError **error)
{
	g_autoptr(GString) lines = g_string_new(NULL);
	gsize n = sweep_grid_n_points(g), count = 0;
	for (gsize i = 0; i < n; i++) {
		g_autofree char *json = sweep_dir_point_file(g, i, dir, ".json");
		if (g_file_test(json, G_FILE_TEST_EXISTS))
			continue;
		g_autofree char *line = job_line(g, i, bin, dir);
		g_string_append(lines, line);
		count++;
	}
	g_autofree char *abs_file = g_canonicalize_filename(file, NULL);
	g_autofree char *file_q = g_shell_quote(abs_file);
	g_autofree char *dir_q = g_shell_quote(dir);
	g_autofree char *slurm = g_strdup_printf(
		"#!/bin/sh\n"
		"# A Slurm job array running the labyrinth sweep in %s: task N runs\n"
		"# line N of %s.  Submit with `sbatch %s.slurm`, then build\n"
		"# sweep.csv with `labyrinth sweep --collect %s`.  The paths are\n"
		"# absolute: every node must see them (a shared file system).\n"
		"# Slurm caps array indices (MaxArraySize, often 1001): for more lines,\n"
		"# submit several arrays, the second with --export=ALL,OFFSET=1000 and\n"
		"# so on (task N then runs line OFFSET + N).\n"
		"#SBATCH --job-name=labyrinth-sweep\n"
		"#SBATCH --array=1-%zu\n"
		"#SBATCH --ntasks=1\n"
		"set -eu\n"
		"line=$(sed -n \"$((${OFFSET:-0} + SLURM_ARRAY_TASK_ID))p\" %s)\n"
		"exec sh -c \"$line\"\n",
		dir, abs_file, abs_file, dir, CLAMP(count, 1, 1000), file_q);
	g_autofree char *slurm_path = g_strconcat(file, ".slurm", NULL);
	if (!sweep_dir_write_file(file, lines->str, error) ||
	    !sweep_dir_write_file(slurm_path, slurm, error))
		return FALSE;
	if (g_chmod(slurm_path, 0755) != 0)
		return sweep_bad_input(error, "cannot make %s executable: %s", slurm_path,
				       g_strerror(errno));
	fprintf(stderr,
		"labyrinth sweep: %zu of %zu points to run: %s (one command a line, e.g. for "
		"GNU parallel) and %s (sbatch); then labyrinth sweep --collect %s\n",
		count, n, file, slurm_path, dir_q);
	return TRUE;
}
