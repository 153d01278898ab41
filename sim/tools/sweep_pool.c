/* sweep_pool.c - the processes of a sweep (sweep_pool.h): generating its
 * workloads, and a pool of `labyrinth run` subprocesses driven by GLib's
 * main loop, each point's stderr kept in its ID.err.
 */
#include <stdio.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "sweep_dir.h"
#include "sweep_pool.h"

/* bin followed by args, NULL-terminated, for g_subprocess_newv(); the
 * strings are borrowed. */
static GPtrArray *command(const char *bin, char **args)
{
	GPtrArray *argv = g_ptr_array_new();
	g_ptr_array_add(argv, (gpointer)bin);
	for (char **a = args; *a; a++)
		g_ptr_array_add(argv, *a);
	g_ptr_array_add(argv, NULL);
	return argv;
}

/* Runs `labyrinth gen` for each core count whose workload is not there
 * yet: the same code and the same bytes as the command. */
gboolean sweep_pool_generate(const SweepGrid *g, const char *bin, const char *dir,
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
		g_autoptr(GPtrArray) argv = command(bin, args);
		g_autoptr(GSubprocess) proc = g_subprocess_newv(
			(const char *const *)argv->pdata,
			G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, error);
		g_autofree char *err_text = NULL;
		if (!proc || !g_subprocess_communicate_utf8(proc, NULL, NULL, NULL, &err_text, error))
			return FALSE;
		if (!g_subprocess_get_successful(proc))
			return sweep_bad_input(error, "generating %s failed: %s", out,
					       err_text && *err_text
						       ? g_strstrip(err_text)
						       : "labyrinth gen exited with an error");
	}
	return TRUE;
}

/* ------------------------------------------------------------------------
 * The pool of runs. */

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
	g_autofree char *err_path = sweep_dir_point_file(r->g, i, r->dir, ".err");
	g_autofree char *json_path = sweep_dir_point_file(r->g, i, r->dir, ".json");
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
		if (!sweep_dir_write_file(err_path, text->str, &err))
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
		g_autoptr(GPtrArray) argv = command(r->bin, args);
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

static void run_points(Runner *r)
{
	gsize n = sweep_grid_n_points(r->g);
	for (gsize i = 0; i < n; i++) {
		g_autofree char *json = sweep_dir_point_file(r->g, i, r->dir, ".json");
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

void sweep_pool_run(const SweepGrid *g, const char *bin, const char *dir, unsigned jobs,
		    SweepPoolCounts *counts)
{
	Runner r = {
		.g = g,
		.bin = bin,
		.dir = dir,
		.todo = g_array_new(FALSE, FALSE, sizeof(gsize)),
		.max_running = jobs,
		.tty = isatty(STDERR_FILENO),
	};
	run_points(&r);
	g_array_unref(r.todo);
	*counts = (SweepPoolCounts){ .run = r.done, .failed = r.failed, .skipped = r.skipped };
}
