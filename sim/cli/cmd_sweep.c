/* cmd_sweep.c - `labyrinth sweep`: run a grid of configurations, each point
 * one `labyrinth run` subprocess, and gather their JSON into DIR/sweep.csv.
 *
 *   labyrinth sweep WORKLOAD --cores 1,2,4 --protocol all \
 *       [--set allocator.policy=global,pcp] [--mode LIST] [-j N] -o DIR
 *   labyrinth sweep --gen PATTERN --ops M --seed S --cores 1,2,4,8 ... -o DIR
 *   labyrinth sweep ... -o DIR --emit-jobs FILE     (GNU parallel, Slurm)
 *   labyrinth sweep --collect DIR
 *
 * This file parses the options and runs the steps in order; each step is
 * in sim/tools/: the grid from the lists (sweep_axes.c; the grid itself,
 * point ids, commands and CSV rows are sweep.c), the directory
 * (sweep_dir.c), the generated workloads and the pool of runs
 * (sweep_pool.c), the jobs for a cluster (sweep_jobs.c) and sweep.csv
 * (sweep_collect.c).  A point whose JSON exists is done: run writes its
 * JSON whole or not at all, so an interrupted sweep resumes by running the
 * others.
 */
#include <stdio.h>

#include "cli.h"
#include "protocol.h"
#include "tools/sweep.h"
#include "tools/sweep_axes.h"
#include "tools/sweep_collect.h"
#include "tools/sweep_dir.h"
#include "tools/sweep_jobs.h"
#include "tools/sweep_pool.h"

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


/* The labyrinth binary this process runs, for the points' subprocesses and
 * the emitted jobs: an absolute path. */
static char *self_path(GError **error)
{
	char *path = g_file_read_link("/proc/self/exe", NULL);
	if (!path)
		path = g_find_program_in_path("labyrinth");
	if (!path)
		sweep_bad_input(error, "cannot find the labyrinth binary (no /proc/self/exe, and "
				       "none on PATH)");
	return path;
}


/* The grid's spec from o, once o names one workload or one pattern. */
static gboolean spec_of(const SweepOptions *o, SweepSpec *spec, GError **error)
{
	if (!o->gen == !(o->args && o->args[0]) || (o->args && o->args[0] && o->args[1]))
		return sweep_bad_input(error, "expected one WORKLOAD file or --gen PATTERN (see "
					      "labyrinth sweep --help)");
	if (!o->gen && (o->ops || o->seed))
		return sweep_bad_input(error, "--ops and --seed go with --gen");
	*spec = (SweepSpec){
		.workload = o->gen ? NULL : o->args[0],
		.gen = o->gen,
		.ops = o->ops,
		.seed = o->seed,
		.cores = o->cores,
		.protocol = o->protocol,
		.mode = o->mode,
		.config = o->config,
		.sets = o->sets,
	};
	return TRUE;
}

static int collect(const char *dir_arg, GError **error)
{
	g_autofree char *dir = g_canonicalize_filename(dir_arg, NULL);
	g_autoptr(SweepGrid) g = sweep_dir_read_grid(dir, error);
	if (!g)
		return EXIT_BAD_INPUT;
	gssize not_ok = sweep_collect_csv(g, dir, error);
	if (not_ok < 0)
		return EXIT_BAD_INPUT;
	return not_ok ? EXIT_CHECK_FAILED : EXIT_OK;
}

static int sweep(const SweepOptions *o, GError **error)
{
	if (!o->output) {
		sweep_bad_input(error, "-o DIR is required: where the points and sweep.csv go");
		return EXIT_BAD_INPUT;
	}
	if (o->jobs < 1) {
		sweep_bad_input(error, "-j must be at least 1, found %d", o->jobs);
		return EXIT_BAD_INPUT;
	}
	SweepSpec spec;
	if (!spec_of(o, &spec, error))
		return EXIT_BAD_INPUT;
	g_autoptr(SweepGrid) g = sweep_grid_build(&spec, error);
	if (!g)
		return EXIT_BAD_INPUT;
	g_autofree char *bin = self_path(error);
	g_autofree char *dir = g_canonicalize_filename(o->output, NULL);
	if (!bin || !sweep_dir_prepare(g, dir, error) || !sweep_pool_generate(g, bin, dir, error) ||
	    !sweep_dir_write_grid(g, dir, error))
		return EXIT_BAD_INPUT;
	if (o->emit_jobs)
		return sweep_jobs_emit(g, bin, dir, o->emit_jobs, error) ? EXIT_OK : EXIT_BAD_INPUT;

	SweepPoolCounts counts;
	sweep_pool_run(g, bin, dir, (unsigned)o->jobs, &counts);
	gssize not_ok = sweep_collect_csv(g, dir, error);
	if (not_ok < 0)
		return EXIT_BAD_INPUT;
	fprintf(stderr, "labyrinth sweep: %zu points (%zu run now, %zu done before): %s/sweep.csv\n",
		sweep_grid_n_points(g), counts.run, counts.skipped, dir);
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
			sweep_bad_input(&err, "--collect DIR takes no other options");
		status = err ? EXIT_BAD_INPUT : collect(o.collect, &err);
	} else {
		status = sweep(&o, &err);
	}
	if (err)
		fprintf(stderr, "labyrinth sweep: %s\n", err->message);
	sweep_options_clear(&o);
	return status;
}
