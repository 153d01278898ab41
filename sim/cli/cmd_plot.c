/* cmd_plot.c - `labyrinth plot`: figures from a sweep or a timeline, drawn
 * by the gnuplot scripts in plots/.
 *
 *   labyrinth plot DIR [-o OUT] [--format png|svg|pdf]
 *   labyrinth plot --timeline FILE [-o OUT] [--format png|svg|pdf]
 *
 * Each figure is one script run as
 *     gnuplot -e "data='DIR/sweep.csv'; out='OUT/NAME.png'" plots/NAME.gp
 * which is also how a person runs it by hand: the scripts are the figures'
 * definition, this command only finds them and names the files.  They are
 * looked for in the source tree when this binary is the one built there
 * (so an edited script is used without installing), beside the binary,
 * then in $(pkgdatadir)/plots.
 *
 * gnuplot writes each figure under a temporary name in OUT, renamed when it
 * succeeds: a figure is there whole or not at all.
 */
#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifndef LABYRINTH_DATADIR
#define LABYRINTH_DATADIR "/usr/local/share/labyrinth"
#endif

/* The figures of a sweep, and of a timeline: the scripts' names. */
static const char *const sweep_figures[] = {
	"alloc-latency", "lock-wait", "invalidations", "bus-utilization", "miss-breakdown",
};
static const char *const timeline_figures[] = { "timeline-bus", "timeline-heat" };

#define PLOT_ERROR (plot_error_quark())
static G_DEFINE_QUARK(labyrinth-plot-error-quark, plot_error)

static gboolean fail(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static gboolean fail(GError **error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error_literal(error, PLOT_ERROR, 0, msg);
	return FALSE;
}

/* The directory holding the gnuplot scripts, or NULL with error. */
static char *find_scripts(GError **error)
{
	g_autoptr(GPtrArray) tried = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
	g_autofree char *exe_dir = exe ? g_path_get_dirname(exe) : NULL;
#if defined(LABYRINTH_SRCDIR) && defined(LABYRINTH_BUILDDIR)
	g_autofree char *builddir = g_canonicalize_filename(LABYRINTH_BUILDDIR, NULL);
	if (exe_dir && strcmp(exe_dir, builddir) == 0)
		g_ptr_array_add(tried, g_build_filename(LABYRINTH_SRCDIR, "plots", NULL));
#endif
	if (exe_dir)
		g_ptr_array_add(tried, g_build_filename(exe_dir, "plots", NULL));
	g_ptr_array_add(tried, g_build_filename(LABYRINTH_DATADIR, "plots", NULL));
	for (guint k = 0; k < tried->len; k++) {
		g_autofree char *probe = g_build_filename(g_ptr_array_index(tried, k),
							  "common.gp", NULL);
		if (g_file_test(probe, G_FILE_TEST_IS_REGULAR))
			return g_strdup(g_ptr_array_index(tried, k));
	}
	g_autoptr(GString) where = g_string_new(NULL);
	for (guint k = 0; k < tried->len; k++)
		g_string_append_printf(where, "%s%s", k ? ", " : "",
				       (char *)g_ptr_array_index(tried, k));
	fail(error, "cannot find the gnuplot scripts (looked in %s); is labyrinth installed?",
	     where->str);
	return NULL;
}

/* A gnuplot string literal: single quotes, with a quote written twice. */
static char *gp_string(const char *s)
{
	g_autoptr(GString) q = g_string_new("'");
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			g_string_append_c(q, '\'');
		g_string_append_c(q, *p);
	}
	g_string_append_c(q, '\'');
	return g_string_free(g_steal_pointer(&q), FALSE);
}

/* Runs script over data, writing out whole.  gnuplot's messages are
 * passed on: on failure as the error, otherwise as warnings on stderr. */
static gboolean run_script(const char *gnuplot, const char *script, const char *data,
			   const char *out, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(out);
	g_autofree char *base = g_path_get_basename(out);
	g_autofree char *tmp_name = g_strdup_printf(".tmp-%d-%s", (int)getpid(), base);
	g_autofree char *tmp = g_build_filename(dir, tmp_name, NULL);
	g_autofree char *data_q = gp_string(data);
	g_autofree char *out_q = gp_string(tmp);
	g_autofree char *vars = g_strdup_printf("data=%s; out=%s", data_q, out_q);
	const char *argv[] = { gnuplot, "-e", vars, script, NULL };
	g_autoptr(GSubprocess) proc = g_subprocess_newv(
		argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, error);
	g_autofree char *messages = NULL;
	if (!proc || !g_subprocess_communicate_utf8(proc, NULL, NULL, NULL, &messages, error))
		return FALSE;
	g_strstrip(messages);
	if (!g_subprocess_get_successful(proc) || !g_file_test(tmp, G_FILE_TEST_IS_REGULAR)) {
		g_unlink(tmp);
		return fail(error, "gnuplot failed on %s: %s", script,
			    *messages ? messages : "no message");
	}
	if (*messages)
		fprintf(stderr, "labyrinth plot: gnuplot (%s): %s\n", base, messages);
	if (g_rename(tmp, out) != 0) {
		int e = errno;
		g_unlink(tmp);
		return fail(error, "cannot rename %s to %s: %s", tmp, out, g_strerror(e));
	}
	return TRUE;
}

typedef struct {
	char *output, *format, *timeline;
	char **args;
} PlotOptions;

static int plot(const PlotOptions *o, GError **error)
{
	const char *format = o->format ? o->format : "png";
	if (strcmp(format, "png") != 0 && strcmp(format, "svg") != 0 &&
	    strcmp(format, "pdf") != 0) {
		fail(error, "--format: expected png, svg or pdf, found '%s'", format);
		return EXIT_BAD_INPUT;
	}
	gboolean one_arg = o->args && o->args[0] && !o->args[1];
	if (o->timeline ? o->args && o->args[0] : !one_arg) {
		fail(error, "expected a sweep DIR, or --timeline FILE (see labyrinth plot --help)");
		return EXIT_BAD_INPUT;
	}
	g_autofree char *data = o->timeline ? g_strdup(o->timeline)
					    : g_build_filename(o->args[0], "sweep.csv", NULL);
	if (!g_file_test(data, G_FILE_TEST_IS_REGULAR)) {
		fail(error, "%s: no such file%s", data,
		     o->timeline ? " (labyrinth run --timeline FILE writes one)"
				 : " (labyrinth sweep -o DIR writes it)");
		return EXIT_BAD_INPUT;
	}
	g_autofree char *gnuplot = g_find_program_in_path("gnuplot");
	if (!gnuplot) {
		fail(error, "gnuplot is not installed; install it with: apt-get install gnuplot-nox");
		return EXIT_BAD_INPUT;
	}
	g_autofree char *scripts = find_scripts(error);
	if (!scripts)
		return EXIT_BAD_INPUT;
	g_autofree char *out_dir = o->output ? g_strdup(o->output)
			       : o->timeline ? g_path_get_dirname(o->timeline)
					     : g_strdup(o->args[0]);
	if (g_mkdir_with_parents(out_dir, 0777) != 0) {
		fail(error, "cannot create %s: %s", out_dir, g_strerror(errno));
		return EXIT_BAD_INPUT;
	}

	const char *const *figures = o->timeline ? timeline_figures : sweep_figures;
	gsize n = o->timeline ? G_N_ELEMENTS(timeline_figures) : G_N_ELEMENTS(sweep_figures);
	for (gsize k = 0; k < n; k++) {
		g_autofree char *script_name = g_strconcat(figures[k], ".gp", NULL);
		g_autofree char *script = g_build_filename(scripts, script_name, NULL);
		g_autofree char *out_name = g_strconcat(figures[k], ".", format, NULL);
		g_autofree char *out = g_build_filename(out_dir, out_name, NULL);
		if (!run_script(gnuplot, script, data, out, error))
			return EXIT_BAD_INPUT;
	}
	fprintf(stderr, "labyrinth plot: %zu figures in %s (", n, out_dir);
	for (gsize k = 0; k < n; k++)
		fprintf(stderr, "%s%s.%s", k ? ", " : "", figures[k], format);
	fprintf(stderr, ")\n");
	return EXIT_OK;
}

int cmd_plot(int argc, char **argv)
{
	PlotOptions o = { 0 };
	GOptionEntry entries[] = {
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output,
		  "Directory for the figures (default: DIR, or the timeline's directory)", "OUT" },
		{ "format", 'f', 0, G_OPTION_ARG_STRING, &o.format,
		  "png (default), svg or pdf", "FORMAT" },
		{ "timeline", 0, 0, G_OPTION_ARG_FILENAME, &o.timeline,
		  "Plot a timing run's timeline (labyrinth run --timeline FILE) instead of a sweep",
		  "FILE" },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.args, NULL, "DIR" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) ctx =
		g_option_context_new("DIR | --timeline FILE - gnuplot figures");
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(
		ctx,
		"From DIR/sweep.csv (labyrinth sweep): alloc-latency (allocator latency p50\n"
		"and p99 vs cores), lock-wait (wait per lock acquisition vs cores),\n"
		"invalidations (per allocation vs cores), bus-utilization (vs cores) and\n"
		"miss-breakdown (how misses were served, per protocol).  From a timeline:\n"
		"timeline-bus (bus utilization and free pages over time) and timeline-heat\n"
		"(bus transactions per hot line per core).  Each is a script in plots/ that\n"
		"also runs on its own:\n"
		"  gnuplot -e \"data='DIR/sweep.csv'; out='x.png'\" plots/alloc-latency.gp\n\n"
		"Needs gnuplot (apt-get install gnuplot-nox).\n"
		"Exit status: 0 success, 2 bad input, no gnuplot, or a script failed.");
	g_autoptr(GError) err = NULL;
	int status;
	if (!g_option_context_parse(ctx, &argc, &argv, &err))
		status = EXIT_BAD_INPUT;
	else
		status = plot(&o, &err);
	if (err)
		fprintf(stderr, "labyrinth plot: %s\n", err->message);
	g_free(o.output);
	g_free(o.format);
	g_free(o.timeline);
	g_strfreev(o.args);
	return status;
}
