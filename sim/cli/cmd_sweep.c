/* cmd_sweep.c - `labyrinth sweep`: run a grid of configurations, each point
 * one `labyrinth run` subprocess, and gather their JSON into DIR/sweep.csv.
 *
 *   labyrinth sweep WORKLOAD --cores 1,2,4 --protocol all \
 *       [--set allocator.policy=global,pcp] [--mode LIST] [-j N] -o DIR
 *   labyrinth sweep --gen PATTERN --ops M --seed S --cores 1,2,4,8 ... -o DIR
 *   labyrinth sweep ... -o DIR --emit-jobs FILE     (GNU parallel, Slurm)
 *   labyrinth sweep --collect DIR
 *
 * DIR holds sweep.grid (the grid, so --collect knows the points and their
 * order), workloads/ (generated workloads, one per core count), points/
 * (ID.json from each run, ID.err with the stderr of a run that said
 * anything or failed) and sweep.csv.  A point whose JSON exists is done:
 * run writes its JSON whole or not at all, so an interrupted sweep resumes
 * by running the others.  The CSV is built from the files in grid order,
 * the same way after a local run and after --collect, so it depends on the
 * grid alone.  The grid itself is in sweep.c.
 *
 * Points run as subprocesses rather than in this process: a point that
 * deadlocks, aborts on a broken invariant or runs out of memory fails
 * alone, and the command line of each is exactly what a cluster job runs.
 */
#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "protocol.h"
#include "input/config.h"
#include "input/workload.h"
#include "kernel/layout.h"
#include "tools/sweep.h"
#include "util/outfile.h"

typedef struct {
	char *gen, *ops, *seed, *cores, *protocol, *mode, *config, *output, *emit_jobs, *collect;
	char **sets;
	int jobs;
	char **args;
} SweepOptions;

static void sweep_options_clear(SweepOptions *o)
{
	g_free(o->gen);
	g_free(o->ops);
	g_free(o->seed);
	g_free(o->cores);
	g_free(o->protocol);
	g_free(o->mode);
	g_free(o->config);
	g_free(o->output);
	g_free(o->emit_jobs);
	g_free(o->collect);
	g_strfreev(o->sets);
	g_strfreev(o->args);
}

static gboolean bad_input(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static gboolean bad_input(GError **error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error_literal(error, SWEEP_ERROR, SWEEP_ERROR_AXIS, msg);
	return FALSE;
}

/* The labyrinth binary this process runs, for the points' subprocesses and
 * the emitted jobs: an absolute path. */
static char *self_path(GError **error)
{
	char *path = g_file_read_link("/proc/self/exe", NULL);
	if (!path)
		path = g_find_program_in_path("labyrinth");
	if (!path)
		bad_input(error, "cannot find the labyrinth binary (no /proc/self/exe, and none "
				 "on PATH)");
	return path;
}

/* ------------------------------------------------------------------------
 * Building and checking the grid. */

/* The core counts, canonical ("04" becomes "4"). */
static gboolean cores_axis(SweepGrid *g, const char *list, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(list, ",", -1);
	g_autoptr(GString) canon = g_string_new(NULL);
	for (char **p = parts; *p; p++) {
		guint64 n;
		g_autofree char *v = g_strstrip(g_strdup(*p));
		if (!g_ascii_string_to_unsigned(v, 10, 1, WL_MAX_CORES, &n, NULL))
			return bad_input(error, "--cores: expected core counts from 1 to %d "
						"separated by commas, found '%s'",
					 WL_MAX_CORES, v);
		g_string_append_printf(canon, "%s%" G_GUINT64_FORMAT, canon->len ? "," : "", n);
	}
	return sweep_grid_set_axis(g, "cores", canon->str, error);
}

static gboolean protocol_axis(SweepGrid *g, const char *list, GError **error)
{
	if (strcmp(list, "all") == 0) {
		g_autoptr(GString) all = g_string_new(NULL);
		for (const Protocol *const *p = proto_all(); *p; p++)
			g_string_append_printf(all, "%s%s", all->len ? "," : "", (*p)->name);
		return sweep_grid_set_axis(g, "protocol", all->str, error);
	}
	if (!sweep_grid_set_axis(g, "protocol", list, error))
		return FALSE;
	const SweepAxis *axis = sweep_grid_axis(g, "protocol");
	for (guint k = 0; k < axis->values->len; k++) {
		const char *name = g_ptr_array_index(axis->values, k);
		if (!proto_lookup(name))
			return bad_input(error, "--protocol: unknown protocol '%s' (expected all or "
						"a list of %s)",
					 name, proto_names());
	}
	return TRUE;
}

/* --set GROUP.KEY=V1,V2: one axis per key, a later --set of a key winning.
 * The keys with options of their own must be given through them, since
 * run applies those after --set. */
static gboolean set_axes(SweepGrid *g, char **sets, GError **error)
{
	static const char *const own_option[][2] = {
		{ "system.cores", "--cores" },
		{ "system.protocol", "--protocol" },
		{ "system.mode", "--mode" },
	};
	for (char **s = sets; s && *s; s++) {
		const char *eq = strchr(*s, '=');
		if (!eq || eq == *s || !memchr(*s, '.', (gsize)(eq - *s)))
			return bad_input(error, "--set: expected GROUP.KEY=VALUE[,VALUE...], found "
						"'%s'",
					 *s);
		g_autofree char *key = g_strstrip(g_strndup(*s, (gsize)(eq - *s)));
		for (gsize k = 0; k < G_N_ELEMENTS(own_option); k++)
			if (strcmp(key, own_option[k][0]) == 0)
				return bad_input(error, "--set %s: sweep it with %s", key,
						 own_option[k][1]);
		if (!sweep_grid_set_axis(g, key, eq + 1, error))
			return FALSE;
	}
	return TRUE;
}

/* The configuration of point i, as run will build it: defaults, the
 * grid's --config file (already in base), then the point's values. */
static gboolean point_config(const SweepGrid *g, gsize i, const Config *base, GError **error)
{
	const char *values[g->axes->len];
	sweep_grid_point(g, i, values);
	g_auto(Config) cfg = { 0 };
	config_copy(&cfg, base);
	gboolean ok = TRUE;
	for (guint a = 0; a < g->axes->len && ok; a++) {
		const SweepAxis *axis = g_ptr_array_index(g->axes, a);
		if (!strchr(axis->name, '.'))
			ok = config_set_key(&cfg, "system", axis->name, values[a], error);
		else {
			g_autofree char *assignment = g_strconcat(axis->name, "=", values[a], NULL);
			ok = config_set(&cfg, assignment, error);
		}
	}
	return ok && config_validate(&cfg, error) && kernel_config_check(&cfg, error);
}

/* Every point's configuration must be valid before anything runs. */
static gboolean check_configs(const SweepGrid *g, GError **error)
{
	g_auto(Config) base = { 0 };
	config_init(&base);
	if (g->config && !config_load_file(&base, g->config, error))
		return FALSE;
	gsize n = sweep_grid_n_points(g);
	for (gsize i = 0; i < n; i++) {
		g_autoptr(GError) err = NULL;
		if (!point_config(g, i, &base, &err)) {
			g_autofree char *id = sweep_point_id(g, i);
			return bad_input(error, "point %s: %s", id, err->message);
		}
	}
	return TRUE;
}

/* A workload file: its name for the CSV, its core count when --cores is
 * not given, and a check that it can run on every count listed.  This
 * reads the whole file once (wl_validate), which also finds a malformed
 * workload before any point runs. */
static gboolean scan_workload(SweepGrid *g, const char *cores_list, GError **error)
{
	g_autoptr(WlFile) wl = wl_open(g->workload, error);
	if (!wl)
		return FALSE;
	WlLimits limits = { 0 };
	WlInfo info;
	if (!wl_validate(wl, &limits, &info, error))
		return FALSE;
	unsigned needed = 1;
	for (unsigned c = 0; c < WL_MAX_CORES; c++)
		if (info.ops_per_core[c])
			needed = c + 1;
	if (info.name) {
		g_free(g->label);
		g->label = g_strdup(info.name);
	}
	g_autofree char *own = g_strdup_printf("%u", info.cores);
	wl_info_clear(&info);
	if (!cores_axis(g, cores_list ? cores_list : own, error))
		return FALSE;
	const SweepAxis *axis = sweep_grid_axis(g, "cores");
	for (guint k = 0; k < axis->values->len; k++) {
		const char *v = g_ptr_array_index(axis->values, k);
		if (g_ascii_strtoull(v, NULL, 10) < needed)
			return bad_input(error, "--cores %s: %s has operations for core %u, so it "
						"needs at least %u cores (a workload file fixes its "
						"cores; sweep over cores with --gen)",
					 v, g->workload, needed - 1, needed);
	}
	return TRUE;
}

/* The workload's name when it has no %name: the file name without its
 * extensions. */
static char *file_label(const char *path)
{
	char *base = g_path_get_basename(path);
	char *dot = strchr(base, '.');
	if (dot && dot != base)
		*dot = '\0';
	return base;
}

static SweepGrid *build_grid(const SweepOptions *o, GError **error)
{
	g_autoptr(SweepGrid) g = sweep_grid_new();
	if (!o->gen == !(o->args && o->args[0]) || (o->args && o->args[0] && o->args[1])) {
		bad_input(error, "expected one WORKLOAD file or --gen PATTERN (see labyrinth sweep "
				 "--help)");
		return NULL;
	}
	if (!o->gen && (o->ops || o->seed)) {
		bad_input(error, "--ops and --seed go with --gen");
		return NULL;
	}
	if (o->config)
		g->config = g_canonicalize_filename(o->config, NULL);

	g_auto(Config) base = { 0 };
	config_init(&base);
	if (g->config && !config_load_file(&base, g->config, error))
		return NULL;

	if (o->gen) {
		if (!o->cores) {
			bad_input(error, "--gen needs --cores: the core counts to generate for");
			return NULL;
		}
		g->gen_pattern = g_strdup(o->gen);
		g->gen_ops = g_strdup(o->ops);
		g->gen_seed = g_strdup(o->seed);
		g->label = g_strdup(o->gen);
		if (strpbrk(o->gen, "/\\") || o->gen[0] == '.') {
			bad_input(error, "--gen: '%s' is not a pattern name", o->gen);
			return NULL;
		}
		if (!cores_axis(g, o->cores, error))
			return NULL;
	} else {
		g->workload = g_canonicalize_filename(o->args[0], NULL);
		g->label = file_label(g->workload);
		if (!scan_workload(g, o->cores, error))
			return NULL;
	}
	if (!protocol_axis(g, o->protocol ? o->protocol : base.protocol, error))
		return NULL;
	if (o->mode && !sweep_grid_set_axis(g, "mode", o->mode, error))
		return NULL;
	if (!set_axes(g, o->sets, error) || !sweep_grid_check_ids(g, error) ||
	    !check_configs(g, error))
		return NULL;
	return g_steal_pointer(&g);
}

/* ------------------------------------------------------------------------
 * The sweep directory. */

static char *grid_path(const char *dir)
{
	return g_build_filename(dir, "sweep.grid", NULL);
}

static char *point_file(const SweepGrid *g, gsize i, const char *dir, const char *ext)
{
	g_autofree char *id = sweep_point_id(g, i);
	g_autofree char *name = g_strconcat(id, ext, NULL);
	return g_build_filename(dir, "points", name, NULL);
}

/* Whole or not at all (outfile.h). */
static gboolean write_file(const char *path, const char *data, GError **error)
{
	return outfile_write_all(path, data, strlen(data), error);
}

/* Makes DIR and its subdirectories, and refuses a DIR that holds a sweep
 * of another workload or configuration: its points would be taken for this
 * grid's. */
static gboolean prepare_dir(const SweepGrid *g, const char *dir, GError **error)
{
	g_autofree char *points = g_build_filename(dir, "points", NULL);
	g_autofree char *workloads = g_build_filename(dir, "workloads", NULL);
	if (g_mkdir_with_parents(points, 0777) != 0 ||
	    (g->gen_pattern && g_mkdir_with_parents(workloads, 0777) != 0))
		return bad_input(error, "cannot create %s: %s", points, g_strerror(errno));
	g_autofree char *path = grid_path(dir);
	g_autofree char *old_data = NULL;
	if (g_file_get_contents(path, &old_data, NULL, NULL)) {
		g_autoptr(SweepGrid) old = sweep_grid_from_data(old_data, path, error);
		if (!old)
			return FALSE;
		if (!sweep_grid_same_source(old, g))
			return bad_input(error, "%s holds a sweep of another workload or "
						"configuration (see %s); use another -o DIR or "
						"remove it",
					 dir, path);
	}
	return TRUE;
}

/* Records the grid, once its workloads exist: a sweep that could not even
 * generate them leaves no grid to hold the directory for it. */
static gboolean write_grid(const SweepGrid *g, const char *dir, GError **error)
{
	g_autofree char *path = grid_path(dir);
	g_autofree char *data = sweep_grid_to_data(g);
	return write_file(path, data, error);
}

/* Runs `labyrinth gen` for each core count whose workload is not there
 * yet: the same code and the same bytes as the command. */
static gboolean generate_workloads(const SweepGrid *g, const char *bin, const char *dir,
				   GError **error)
{
	if (!g->gen_pattern)
		return TRUE;
	const SweepAxis *cores = sweep_grid_axis(g, "cores");
	for (guint k = 0; k < cores->values->len; k++) {
		const char *n = g_ptr_array_index(cores->values, k);
		g_auto(GStrv) args = sweep_gen_args(g, n, dir);
		const char *out = args[g_strv_length(args) - 1];
		if (g_file_test(out, G_FILE_TEST_EXISTS))
			continue;
		g_autoptr(GPtrArray) argv = g_ptr_array_new();
		g_ptr_array_add(argv, (gpointer)bin);
		for (char **a = args; *a; a++)
			g_ptr_array_add(argv, *a);
		g_ptr_array_add(argv, NULL);
		g_autoptr(GSubprocess) proc = g_subprocess_newv(
			(const char *const *)argv->pdata,
			G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, error);
		g_autofree char *err_text = NULL;
		if (!proc || !g_subprocess_communicate_utf8(proc, NULL, NULL, NULL, &err_text, error))
			return FALSE;
		if (!g_subprocess_get_successful(proc))
			return bad_input(error, "generating %s failed: %s", out,
					 err_text && *err_text ? g_strstrip(err_text)
							       : "labyrinth gen exited with an error");
	}
	return TRUE;
}

/* ------------------------------------------------------------------------
 * Running points here. */

typedef struct {
	const SweepGrid *g;
	const char *bin, *dir;
	GArray *todo;     /* gsize: the points to run, in grid order */
	guint next;       /* the next of todo to start */
	unsigned running, max_running;
	gsize done, failed, skipped;
	gboolean tty;
} Runner;

typedef struct {
	Runner *r;
	gsize point;
} Job;

static void show_progress(const Runner *r)
{
	if (!r->tty)
		return;
	fprintf(stderr, "\rsweep: %zu/%u points run, %u running, %zu failed\033[K", r->done,
		r->todo->len, r->running, r->failed);
	fflush(stderr);
}

/* A finished point's stderr goes to ID.err, whole; a failure always
 * leaves one that says so, which is how --collect tells "failed" from "not
 * run yet".  A success that said nothing leaves none. */
static void record_point(Runner *r, gsize i, GSubprocess *proc, GBytes *err_bytes,
			 const GError *spawn_error)
{
	g_autofree char *err_path = point_file(r->g, i, r->dir, ".err");
	g_autofree char *json_path = point_file(r->g, i, r->dir, ".json");
	g_autoptr(GString) text = g_string_new(NULL);
	if (err_bytes)
		g_string_append_len(text, g_bytes_get_data(err_bytes, NULL),
				    (gssize)g_bytes_get_size(err_bytes));
	gboolean ok = FALSE;
	if (spawn_error)
		g_string_append_printf(text, "labyrinth sweep: cannot run the point: %s\n",
				       spawn_error->message);
	else if (g_subprocess_get_if_signaled(proc))
		g_string_append_printf(text, "labyrinth sweep: the run was killed by signal %d\n",
				       g_subprocess_get_term_sig(proc));
	else if (g_subprocess_get_exit_status(proc) != 0) {
		if (text->len == 0)
			g_string_append_printf(text, "labyrinth sweep: the run exited with status "
						     "%d\n",
					       g_subprocess_get_exit_status(proc));
	} else if (!g_file_test(json_path, G_FILE_TEST_EXISTS))
		g_string_append(text, "labyrinth sweep: the run succeeded but wrote no JSON\n");
	else
		ok = TRUE;
	if (text->len) {
		g_autoptr(GError) err = NULL;
		if (!write_file(err_path, text->str, &err))
			fprintf(stderr, "labyrinth sweep: %s\n", err->message);
	} else {
		g_unlink(err_path);
	}
	r->done++;
	r->failed += !ok;
}

static void start_next(Runner *r);

static void point_finished(GObject *source, GAsyncResult *res, gpointer data)
{
	Job *job = data;
	Runner *r = job->r;
	GSubprocess *proc = G_SUBPROCESS(source);
	g_autoptr(GBytes) err_bytes = NULL;
	g_autoptr(GError) err = NULL;
	if (!g_subprocess_communicate_finish(proc, res, NULL, &err_bytes, &err))
		record_point(r, job->point, proc, err_bytes, err);
	else
		record_point(r, job->point, proc, err_bytes, NULL);
	g_object_unref(proc);
	g_free(job);
	r->running--;
	start_next(r);
	show_progress(r);
}

/* Starts points until max_running are running or none is left. */
static void start_next(Runner *r)
{
	while (r->running < r->max_running && r->next < r->todo->len) {
		gsize i = g_array_index(r->todo, gsize, r->next++);
		g_auto(GStrv) args = sweep_point_run_args(r->g, i, r->dir);
		g_autoptr(GPtrArray) argv = g_ptr_array_new();
		g_ptr_array_add(argv, (gpointer)r->bin);
		for (char **a = args; *a; a++)
			g_ptr_array_add(argv, *a);
		g_ptr_array_add(argv, NULL);
		g_autoptr(GError) err = NULL;
		GSubprocess *proc = g_subprocess_newv(
			(const char *const *)argv->pdata,
			G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &err);
		if (!proc) {
			record_point(r, i, NULL, NULL, err);
			continue;
		}
		Job *job = g_new(Job, 1);
		*job = (Job){ r, i };
		r->running++;
		g_subprocess_communicate_async(proc, NULL, NULL, point_finished, job);
	}
}

/* Runs every point without a JSON, at most jobs at a time.  The order they
 * finish in does not matter: nothing is kept from it. */
static void run_points(Runner *r)
{
	gsize n = sweep_grid_n_points(r->g);
	for (gsize i = 0; i < n; i++) {
		g_autofree char *json = point_file(r->g, i, r->dir, ".json");
		if (g_file_test(json, G_FILE_TEST_EXISTS))
			r->skipped++;
		else
			g_array_append_val(r->todo, i);
	}
	start_next(r);
	show_progress(r);
	while (r->running)
		g_main_context_iteration(NULL, TRUE);
	if (r->tty)
		fprintf(stderr, "\r\033[K");
}

/* ------------------------------------------------------------------------
 * sweep.csv, from the files in DIR. */

/* The first line of a point's .err, for the report on stderr. */
static char *first_line(const char *path)
{
	g_autofree char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return g_strdup("");
	char *nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	return g_strdup(text);
}

/* Builds DIR/sweep.csv in grid order.  Every point with a JSON is "ok";
 * one without is "failed" if its .err says why, else "missing" (not run,
 * or a cluster job still running).  Those are named on stderr.  Returns the
 * number of points that are not ok, or -1 with error. */
static gssize write_csv(const SweepGrid *g, const char *dir, GError **error)
{
	gsize n = sweep_grid_n_points(g), not_ok = 0;
	gsize n_cols = sweep_n_stat_columns();
	g_autofree gboolean *absent = g_new0(gboolean, n_cols);
	g_autofree char *header = sweep_csv_header(g);
	g_autoptr(GString) csv = g_string_new(header);
	for (gsize i = 0; i < n; i++) {
		g_autofree char *json = point_file(g, i, dir, ".json");
		g_autofree char *err_path = point_file(g, i, dir, ".err");
		g_autofree char *id = sweep_point_id(g, i);
		g_autoptr(JsonParser) parser = json_parser_new();
		g_autoptr(GError) err = NULL;
		JsonNode *stats = NULL;
		const char *status = "ok";
		if (g_file_test(json, G_FILE_TEST_EXISTS)) {
			if (json_parser_load_from_file(parser, json, &err))
				stats = json_parser_get_root(parser);
			else {
				fprintf(stderr, "labyrinth sweep: point %s: %s: %s\n", id, json,
					err->message);
				status = "failed";
			}
		} else {
			g_autofree char *why = first_line(err_path);
			status = *why ? "failed" : "missing";
			if (*why)
				fprintf(stderr, "labyrinth sweep: point %s failed: %s\n", id, why);
			else
				fprintf(stderr, "labyrinth sweep: point %s has not run\n", id);
		}
		not_ok += stats == NULL;
		g_autofree char *row = sweep_csv_row(g, i, status, stats, absent);
		g_string_append(csv, row);
	}
	g_autoptr(GString) empty = g_string_new(NULL);
	for (gsize k = 0; k < n_cols; k++)
		if (absent[k])
			g_string_append_printf(empty, "%s%s", empty->len ? ", " : "",
					       sweep_stat_column(k));
	if (empty->len)
		fprintf(stderr, "labyrinth sweep: note: the runs' JSON lacks what these columns "
				"need, so they are empty: %s\n",
			empty->str);
	g_autofree char *path = g_build_filename(dir, "sweep.csv", NULL);
	if (!write_file(path, csv->str, error))
		return -1;
	if (not_ok)
		fprintf(stderr, "labyrinth sweep: %zu of %zu points have no results (their "
				"errors are in %s/points/*.err)\n",
			not_ok, n, dir);
	return (gssize)not_ok;
}

/* ------------------------------------------------------------------------
 * --emit-jobs: the same points as commands for other machines. */

static char *job_line(const SweepGrid *g, gsize i, const char *bin, const char *dir)
{
	g_auto(GStrv) args = sweep_point_run_args(g, i, dir);
	g_autofree char *err_path = point_file(g, i, dir, ".err");
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

static gboolean emit_jobs(const SweepGrid *g, const char *bin, const char *dir,
			  const char *file, GError **error)
{
	g_autoptr(GString) lines = g_string_new(NULL);
	gsize n = sweep_grid_n_points(g), count = 0;
	for (gsize i = 0; i < n; i++) {
		g_autofree char *json = point_file(g, i, dir, ".json");
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
	if (!write_file(file, lines->str, error) || !write_file(slurm_path, slurm, error))
		return FALSE;
	if (g_chmod(slurm_path, 0755) != 0)
		return bad_input(error, "cannot make %s executable: %s", slurm_path,
				 g_strerror(errno));
	fprintf(stderr,
		"labyrinth sweep: %zu of %zu points to run: %s (one command a line, e.g. for "
		"GNU parallel) and %s (sbatch); then labyrinth sweep --collect %s\n",
		count, n, file, slurm_path, dir_q);
	return TRUE;
}

/* ------------------------------------------------------------------------ */

static int collect(const char *dir_arg, GError **error)
{
	g_autofree char *dir = g_canonicalize_filename(dir_arg, NULL);
	g_autofree char *path = grid_path(dir);
	g_autofree char *data = NULL;
	if (!g_file_get_contents(path, &data, NULL, error))
		return EXIT_BAD_INPUT;
	g_autoptr(SweepGrid) g = sweep_grid_from_data(data, path, error);
	if (!g)
		return EXIT_BAD_INPUT;
	gssize not_ok = write_csv(g, dir, error);
	if (not_ok < 0)
		return EXIT_BAD_INPUT;
	return not_ok ? EXIT_CHECK_FAILED : EXIT_OK;
}

static int sweep(const SweepOptions *o, GError **error)
{
	if (!o->output) {
		bad_input(error, "-o DIR is required: where the points and sweep.csv go");
		return EXIT_BAD_INPUT;
	}
	if (o->jobs < 1) {
		bad_input(error, "-j must be at least 1, found %d", o->jobs);
		return EXIT_BAD_INPUT;
	}
	g_autoptr(SweepGrid) g = build_grid(o, error);
	if (!g)
		return EXIT_BAD_INPUT;
	g_autofree char *bin = self_path(error);
	g_autofree char *dir = g_canonicalize_filename(o->output, NULL);
	if (!bin || !prepare_dir(g, dir, error) || !generate_workloads(g, bin, dir, error) ||
	    !write_grid(g, dir, error))
		return EXIT_BAD_INPUT;
	if (o->emit_jobs)
		return emit_jobs(g, bin, dir, o->emit_jobs, error) ? EXIT_OK : EXIT_BAD_INPUT;

	Runner r = {
		.g = g,
		.bin = bin,
		.dir = dir,
		.todo = g_array_new(FALSE, FALSE, sizeof(gsize)),
		.max_running = (unsigned)o->jobs,
		.tty = isatty(STDERR_FILENO),
	};
	run_points(&r);
	g_array_unref(r.todo);
	gssize not_ok = write_csv(g, dir, error);
	if (not_ok < 0)
		return EXIT_BAD_INPUT;
	fprintf(stderr, "labyrinth sweep: %zu points (%zu run now, %zu done before): %s/sweep.csv\n",
		sweep_grid_n_points(g), r.done, r.skipped, dir);
	return not_ok ? EXIT_CHECK_FAILED : EXIT_OK;
}

int cmd_sweep(int argc, char **argv)
{
	SweepOptions o = { .jobs = (int)g_get_num_processors() };
	g_autofree char *proto_help = g_strdup_printf(
		"Protocols: all, or a list of %s (default: the configuration's)", proto_names());
	GOptionEntry entries[] = {
		{ "gen", 0, 0, G_OPTION_ARG_STRING, &o.gen,
		  "Generate the workload for each core count with labyrinth gen PATTERN",
		  "PATTERN" },
		{ "ops", 0, 0, G_OPTION_ARG_STRING, &o.ops, "With --gen: gen's --ops", "M" },
		{ "seed", 0, 0, G_OPTION_ARG_STRING, &o.seed, "With --gen: gen's --seed", "S" },
		{ "cores", 0, 0, G_OPTION_ARG_STRING, &o.cores,
		  "Core counts, e.g. 1,2,4,8 (default with a file: its own)", "LIST" },
		{ "protocol", 'p', 0, G_OPTION_ARG_STRING, &o.protocol, proto_help, "LIST" },
		{ "mode", 0, 0, G_OPTION_ARG_STRING, &o.mode,
		  "Modes, e.g. timing,functional (default: the configuration's)", "LIST" },
		{ "set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &o.sets,
		  "Sweep a key over values, e.g. allocator.policy=global,pcp (repeatable)",
		  "GROUP.KEY=LIST" },
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &o.config,
		  "Every point loads this key file first", "FILE" },
		{ "jobs", 'j', 0, G_OPTION_ARG_INT, &o.jobs,
		  "Points to run at once (default: the number of CPUs)", "N" },
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output,
		  "Directory for the points and sweep.csv", "DIR" },
		{ "emit-jobs", 0, 0, G_OPTION_ARG_FILENAME, &o.emit_jobs,
		  "Write the points' commands to FILE (and a Slurm script FILE.slurm) instead of "
		  "running them",
		  "FILE" },
		{ "collect", 0, 0, G_OPTION_ARG_FILENAME, &o.collect,
		  "Build DIR/sweep.csv from the points' JSON, as jobs wrote them", "DIR" },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.args, NULL,
		  "[WORKLOAD]" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) ctx =
		g_option_context_new("-o DIR - run a grid of configurations");
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(
		ctx,
		"The points are the cross product of --cores, --protocol, --mode and each\n"
		"--set's values; each is one `labyrinth run` writing DIR/points/ID.json,\n"
		"its stderr kept in DIR/points/ID.err when it says anything.  DIR/sweep.csv\n"
		"has one row per point in the grid's order (cores changing fastest): the\n"
		"workload, the point's values, status (ok, failed, or missing: not run\n"
		"yet) and its statistics.  A point whose JSON exists is not run again, so\n"
		"an interrupted sweep resumes where it stopped.  A workload file fixes its\n"
		"cores: --cores may only list counts it can run on; --gen generates one\n"
		"workload per core count into DIR/workloads/.\n\n"
		"Exit status: 0 every point has results, 1 some have not (each is named\n"
		"on stderr), 2 bad options or input.");
	g_autoptr(GError) err = NULL;
	int status;
	if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
		status = EXIT_BAD_INPUT;
	} else if (o.collect) {
		if (o.gen || o.output || o.emit_jobs || (o.args && o.args[0]))
			bad_input(&err, "--collect DIR takes no other options");
		status = err ? EXIT_BAD_INPUT : collect(o.collect, &err);
	} else {
		status = sweep(&o, &err);
	}
	if (err)
		fprintf(stderr, "labyrinth sweep: %s\n", err->message);
	sweep_options_clear(&o);
	return status;
}
