/* cmd_compare.c - `labyrinth compare`: statistics of several runs side by
 * side (`compare A.json B.json ...`), or two event traces walked together
 * to the first operation where they differ (`compare --events A B`).
 * The work is in compare.c; this file is options and messages.
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tools/compare.h"

/* The first line names a workload by the path it was run with: the same
 * file given two ways (./w.wl, w.wl) is told apart only by its name. */
static gboolean same_workload(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	g_autofree char *ba = g_path_get_basename(a), *bb = g_path_get_basename(b);
	return strcmp(ba, bb) == 0;
}

int cmd_compare(int argc, char **argv)
{
	gboolean events = FALSE, diff_only = FALSE;
	int top = 10;
	g_auto(GStrv) args = NULL;
	GOptionEntry entries[] = {
		{ "events", 'e', 0, G_OPTION_ARG_NONE, &events,
		  "Compare two event traces (run --events) instead of statistics", NULL },
		{ "diff-only", 'd', 0, G_OPTION_ARG_NONE, &diff_only,
		  "Hide the statistics that are equal in every run", NULL },
		{ "top", 'n', 0, G_OPTION_ARG_INT, &top,
		  "With --events: how many differing lines to list (default 10)", "N" },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, "FILE..." },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) ctx =
		g_option_context_new("A.json B.json [C.json ...] | --events A.tsv B.tsv - "
				     "compare runs");
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(
		ctx, "Statistics: one column per run, one row per statistic, with the ratio to\n"
		     "the first run.  A file that `run --protocol a,b --stats-json` wrote counts\n"
		     "as one run per protocol.\n"
		     "Event traces: the first operation where the two differ, then the lines\n"
		     "that differ most (docs/events.md).\n"
		     "Exit status: 0 success, 2 bad input.");
	g_autoptr(GError) err = NULL;
	if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
		fprintf(stderr, "labyrinth compare: %s\n", err->message);
		return EXIT_BAD_INPUT;
	}
	guint n_args = args ? g_strv_length(args) : 0;
	if (top < 0) {
		fprintf(stderr, "labyrinth compare: --top must be 0 or more\n");
		return EXIT_BAD_INPUT;
	}

	if (events) {
		if (n_args != 2) {
			fprintf(stderr, "labyrinth compare: --events takes two trace files\n");
			return EXIT_BAD_INPUT;
		}
		CompareEvents res;
		gboolean ok = compare_events(args[0], args[1], &res, &err);
		if (ok && !same_workload(res.workload[0], res.workload[1]))
			fprintf(stderr,
				"labyrinth compare: warning: the traces are of different workloads "
				"(%s and %s); operations are matched by core and index all the same\n",
				res.workload[0] ? res.workload[0] : "?",
				res.workload[1] ? res.workload[1] : "?");
		if (ok)
			compare_events_print(&res, (unsigned)top, stdout);
		compare_events_clear(&res);
		if (!ok) {
			fprintf(stderr, "labyrinth compare: %s\n", err->message);
			return EXIT_BAD_INPUT;
		}
		return EXIT_OK;
	}

	g_autoptr(GPtrArray) runs =
		g_ptr_array_new_with_free_func((GDestroyNotify)compare_run_free);
	for (guint i = 0; i < n_args; i++) {
		if (!compare_load_stats(args[i], runs, &err)) {
			fprintf(stderr, "labyrinth compare: %s\n", err->message);
			return EXIT_BAD_INPUT;
		}
	}
	if (runs->len < 2) {
		fprintf(stderr, "labyrinth compare: expected at least two runs "
				"(see labyrinth compare --help)\n");
		return EXIT_BAD_INPUT;
	}
	compare_print_table(runs, diff_only, stdout);
	return EXIT_OK;
}
