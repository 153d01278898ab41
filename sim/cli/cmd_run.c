/* cmd_run.c - `labyrinth run WORKLOAD [options]`: simulate one workload.
 *
 * Configuration layers (cli.md): defaults, then --config FILE, then every
 * --set in order, then the dedicated options (--protocol, --cores, ...),
 * which are --set under friendlier names.  The workload is validated whole
 * before anything is simulated; the report goes to stdout and the JSON to
 * --stats-json (stdout alone when it is "-").
 */
#include <gio/gio.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "engine/engine.h"
#include "engine/functional.h"
#include "engine/timing.h"
#include "input/config.h"
#include "input/workload.h"
#include "kernel/kernel.h"
#include "kernel/layout.h"
#include "machine/machine.h"
#include "report/events.h"
#include "report/stats.h"
#include "report/timeline.h"
#include "tools/compare.h"
#include "verify/checker.h"

typedef struct {
	char *protocol, *schedule, *mode, *cache_size, *config_file, *stats_json;
	int cores, assoc, line;
	char **sets;
	gboolean dump_config, transitions;
	gboolean check; /* --check: the invariant checker watches every access */
	char *events;   /* --events FILE: the protocol event trace */
	int hot_lines;  /* --hot-lines N: the contention report's top N, 0 for none */
	char *timeline; /* --timeline FILE: the run over time (timeline.h) */
	char **args;
} RunOptions;

static void run_options_clear(RunOptions *o)
{
	g_free(o->protocol);
	g_free(o->schedule);
	g_free(o->mode);
	g_free(o->cache_size);
	g_free(o->config_file);
	g_free(o->stats_json);
	g_free(o->events);
	g_free(o->timeline);
	g_strfreev(o->sets);
	g_strfreev(o->args);
}

/* Applies the dedicated options over cfg, each as the --set it stands for. */
static gboolean apply_options(Config *cfg, const RunOptions *o, GError **error)
{
	char buf[32];
	struct {
		const char *group, *key, *value;
	} opts[] = {
		{ "system", "protocol", o->protocol },
		{ "system", "schedule", o->schedule },
		{ "system", "mode", o->mode },
		{ "cache", "size", o->cache_size },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(opts); i++)
		if (opts[i].value && !config_set_key(cfg, opts[i].group, opts[i].key, opts[i].value, error))
			return FALSE;
	struct {
		const char *group, *key;
		int value;
	} nums[] = {
		{ "system", "cores", o->cores },
		{ "cache", "assoc", o->assoc },
		{ "cache", "line", o->line },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(nums); i++) {
		if (nums[i].value < 0)
			continue;
		g_snprintf(buf, sizeof buf, "%d", nums[i].value);
		if (!config_set_key(cfg, nums[i].group, nums[i].key, buf, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean build_config(Config *cfg, const RunOptions *o, GError **error)
{
	if (o->config_file && !config_load_file(cfg, o->config_file, error))
		return FALSE;
	for (char **s = o->sets; s && *s; s++)
		if (!config_set(cfg, *s, error))
			return FALSE;
	return apply_options(cfg, o, error) && config_validate(cfg, error) &&
	       kernel_config_check(cfg, error);
}

/* The allocator's invariants broke: a bug in the simulator, reported as an
 * internal error (cli.md) with the same status as the checker's. */
#define EXIT_INTERNAL 3

static int exit_status_for(const GError *err)
{
	if (err->domain == SIM_ERROR)
		return err->code;
	if (err->domain == KERNEL_ERROR && err->code == KERNEL_ERROR_INVARIANT)
		return EXIT_INTERNAL;
	return EXIT_BAD_INPUT;
}

/* What this version cannot run yet is refused before anything runs. */
static gboolean check_supported(const Config *cfg, const WlFile *wl, const WlInfo *info,
				GError **error)
{
	if (cfg->schedule == SCHED_FILE && (info->uses_lock || info->uses_barrier)) {
		g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_VALUE,
			    "%s: --schedule file cannot replay a workload that uses %s; "
			    "use --schedule rounds",
			    wl_path(wl), info->uses_lock ? "lock" : "barrier");
		return FALSE;
	}
	return TRUE;
}

/* Simulates path under cfg.  With json_out, the statistics go there
 * (stats_to_json) instead of the report and --stats-json. */
static int simulate(Config *cfg, const RunOptions *o, const char *path, GError **error,
		    JsonNode **json_out)
{
	g_autoptr(WlFile) wl = wl_open(path, error);
	if (!wl)
		return EXIT_BAD_INPUT;
	WlLimits limits = {
		.cores = cfg->cores,
		.mem_size = cfg->mem_size,
		.kernel_base = kernel_region_base(cfg),
	};
	WlInfo info;
	if (!wl_validate(wl, &limits, &info, error))
		return EXIT_BAD_INPUT;
	int status = EXIT_OK;
	if (!check_supported(cfg, wl, &info, error)) {
		wl_info_clear(&info);
		return EXIT_BAD_INPUT;
	}
	cfg->cores = info.cores;

	const Protocol *proto = proto_lookup(cfg->protocol);
	g_assert(proto); /* config_validate() checked the name */
	Machine *m = machine_new(cfg, proto, info.cores);
	Kernel *k = NULL;
	if (info.uses_alloc && !(k = kernel_new(cfg, m, error))) {
		machine_free(m);
		wl_info_clear(&info);
		return EXIT_BAD_INPUT;
	}
	/* A violation prints its report and exits with status 3 (checker.h). */
	Checker *ck = o->check ? checker_attach(m, CHECKER_EXIT) : NULL;
	RunResult res;
	run_result_init(&res, info.cores);
	/* The event trace and the contention report watch every access. */
	HotLines *hot = o->hot_lines > 0 ? hotlines_new(m) : NULL;
	/* So does the timeline; timing mode also tells it the bus and free pages. */
	Timeline *tl = o->timeline ? timeline_new(o->timeline, info.cores, 1) : NULL;
	if (tl) {
		timeline_attach(tl, m, &res);
	}
	EventTrace *trace = NULL;
	gboolean traced =
		!o->events || (trace = events_new(o->events, m, res.where, path, cfg, error));
	gboolean ok = traced &&
		      (cfg->mode == MODE_TIMING
			       ? timing_run_kernel(m, k, wl, &info, cfg, &res, error)
			       : functional_run_kernel(m, k, wl, &info, cfg->schedule, &res, error));
	/* A run that stopped on its own (a failed check, a deadlock) leaves a
	 * whole trace of what led there: keep it. */
	if (trace && ok)
		ok = events_commit(trace, error);
	else if (trace && (*error)->domain == SIM_ERROR)
		events_commit(trace, NULL);
	else if (trace)
		events_abandon(trace);
	if (!ok) {
		status = exit_status_for(*error);
	} else {
		StatsInput in = {
			.workload_path = path,
			.workload_name = info.name,
			.workload_operations = info.operations,
			.cfg = cfg,
			.m = m,
			.res = &res,
			.kernel = k,
			.hot_lines = hot,
			.hot_top = hot ? (unsigned)o->hot_lines : 0,
		};
		gboolean json_to_stdout = o->stats_json && strcmp(o->stats_json, "-") == 0;
		if (json_out)
			*json_out = stats_to_json(&in);
		else if (!json_to_stdout)
			stats_print_report(&in, stdout, o->transitions);
		if (!json_out && o->stats_json && !stats_write_json(&in, o->stats_json, error))
			status = EXIT_BAD_INPUT;
		if (tl && status == EXIT_OK && !timeline_write(tl, res.cycles, error))
			status = EXIT_BAD_INPUT;
	}
	timeline_free(tl);
	run_result_clear(&res);
	checker_free(ck);
	hotlines_free(hot);
	kernel_free(k);
	machine_free(m);
	wl_info_clear(&info);
	return status;
}

/* --protocol a,b,c: the list in *names, o->protocol its first name (so
 * --config and --set are checked once).  The options that describe one
 * run are refused with a list. */
static gboolean split_protocols(RunOptions *o, char ***names, GError **error)
{
	if (!o->protocol || !strchr(o->protocol, ','))
		return TRUE;
	g_auto(GStrv) list = g_strsplit(o->protocol, ",", -1);
	for (char **p = list; *p; p++) {
		if (!**p) {
			g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_VALUE,
				    "--protocol %s: an empty name in the list", o->protocol);
			return FALSE;
		}
		if (!proto_lookup(*p)) {
			g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_VALUE,
				    "--protocol %s: unknown protocol '%s' (expected one of %s)",
				    o->protocol, *p, proto_names());
			return FALSE;
		}
		for (char **q = list; q < p; q++) {
			if (strcmp(*p, *q) == 0) {
				g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_VALUE,
					    "--protocol %s: %s is named twice", o->protocol, *p);
				return FALSE;
			}
		}
	}
	const char *single = o->dump_config   ? "--dump-config"
			     : o->events      ? "--events"
			     : o->hot_lines   ? "--hot-lines"
			     : o->timeline    ? "--timeline"
			     : o->transitions ? "--transitions"
					      : NULL;
	if (single) {
		g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_VALUE,
			    "%s describes one run; give --protocol one name, not a list", single);
		return FALSE;
	}
	g_free(o->protocol);
	o->protocol = g_strdup(list[0]);
	*names = g_steal_pointer(&list);
	return TRUE;
}

/* --protocol a,b,c: one run per protocol on a fresh machine, everything
 * else the same, then the table of `labyrinth compare`.  --stats-json
 * writes one object keyed by protocol name (compare reads it back). */
static int run_protocols(RunOptions *o, char **names, const char *path, GError **error)
{
	g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func((GDestroyNotify)compare_run_free);
	g_autoptr(JsonObject) all = json_object_new();
	for (char **p = names; *p; p++) {
		g_free(o->protocol);
		o->protocol = g_strdup(*p);
		g_auto(Config) cfg = { 0 };
		config_init(&cfg);
		JsonNode *node = NULL;
		int status = build_config(&cfg, o, error) ? simulate(&cfg, o, path, error, &node)
							  : EXIT_BAD_INPUT;
		if (status != EXIT_OK) {
			g_prefix_error(error, "--protocol %s: ", *p);
			return status;
		}
		g_ptr_array_add(runs, compare_run_new(*p, node));
		json_object_set_member(all, *p, node);
	}
	gboolean json_to_stdout = o->stats_json && strcmp(o->stats_json, "-") == 0;
	if (!json_to_stdout)
		compare_print_table(runs, FALSE, stdout);
	if (o->stats_json) {
		g_autoptr(JsonNode) root = json_node_init_object(json_node_alloc(), all);
		g_autoptr(JsonGenerator) gen = json_generator_new();
		json_generator_set_pretty(gen, TRUE);
		json_generator_set_indent(gen, 1);
		json_generator_set_root(gen, root);
		g_autofree char *text = json_generator_to_data(gen, NULL);
		g_autofree char *with_nl = g_strconcat(text, "\n", NULL);
		if (!stats_write_file_atomic(o->stats_json, with_nl, strlen(with_nl), error))
			return EXIT_BAD_INPUT;
	}
	return EXIT_OK;
}

int cmd_run(int argc, char **argv)
{
	RunOptions o = { .cores = -1, .assoc = -1, .line = -1 };
	g_autofree char *proto_help =
		g_strdup_printf("Coherence protocol: %s (default mesi)", proto_names());
	GOptionEntry entries[] = {
		{ "protocol", 'p', 0, G_OPTION_ARG_STRING, &o.protocol, proto_help, "NAME" },
		{ "mode", 0, 0, G_OPTION_ARG_STRING, &o.mode,
		  "timing (default: cycles, bus arbitration, latencies) or functional (turns)",
		  "MODE" },
		{ "schedule", 0, 0, G_OPTION_ARG_STRING, &o.schedule,
		  "Functional mode's order: rounds (default) or file (timing mode ignores it)", "SCHED" },
		{ "cores", 0, 0, G_OPTION_ARG_INT, &o.cores,
		  "Number of cores (default: the workload's %cores)", "N" },
		{ "cache-size", 0, 0, G_OPTION_ARG_STRING, &o.cache_size,
		  "Bytes per private cache (default 32768)", "BYTES" },
		{ "assoc", 0, 0, G_OPTION_ARG_INT, &o.assoc, "Ways per set (default 8)", "WAYS" },
		{ "line", 0, 0, G_OPTION_ARG_INT, &o.line, "Bytes per line (default 64)", "BYTES" },
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &o.config_file,
		  "Load settings from a key file", "FILE" },
		{ "set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &o.sets,
		  "Set any key, e.g. cache.size=65536 (repeatable; overrides --config)",
		  "GROUP.KEY=VALUE" },
		{ "stats-json", 'j', 0, G_OPTION_ARG_FILENAME, &o.stats_json,
		  "Write statistics as JSON to FILE (- for stdout, then no report)", "FILE" },
		{ "transitions", 't', 0, G_OPTION_ARG_NONE, &o.transitions,
		  "Print the (state, event) transition matrix in the report", NULL },
		{ "check", 0, 0, G_OPTION_ARG_NONE, &o.check,
		  "Check the coherence invariants after every access (slower); "
		  "a violation stops the run with exit status 3", NULL },
		{ "events", 'e', 0, G_OPTION_ARG_FILENAME, &o.events,
		  "Write the protocol event trace to FILE (.gz compresses; docs/events.md)", "FILE" },
		{ "hot-lines", 0, 0, G_OPTION_ARG_INT, &o.hot_lines,
		  "Report the N lines with the most coherence traffic, and why", "N" },
		{ "timeline", 0, 0, G_OPTION_ARG_FILENAME, &o.timeline,
		  "Timing mode: write the bus, coherence traffic and free pages over time to "
		  "FILE (labyrinth plot --timeline FILE draws them)",
		  "FILE" },
		{ "dump-config", 0, 0, G_OPTION_ARG_NONE, &o.dump_config,
		  "Print the effective configuration as a key file and exit", NULL },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.args, NULL, "WORKLOAD" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("WORKLOAD - simulate a workload");
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(
		ctx, "Exit status: 0 success, 1 a failed =V check, 2 bad input, 3 internal\n"
		     "error (a broken invariant), 4 deadlock.\n"
		     "The workload format is described in docs/workload-format.md.");
	g_autoptr(GError) err = NULL;
	int status = EXIT_OK;
	Config cfg;
	config_init(&cfg);
	g_auto(GStrv) protocols = NULL; /* --protocol a,b,c */

	if (!g_option_context_parse(ctx, &argc, &argv, &err) ||
	    !split_protocols(&o, &protocols, &err) || !build_config(&cfg, &o, &err)) {
		fprintf(stderr, "labyrinth run: %s\n", err->message);
		status = EXIT_BAD_INPUT;
	} else if (o.dump_config) {
		g_autofree char *text = config_dump(&cfg);
		fputs(text, stdout);
		fprintf(stdout,
			"\n# The allocator's region (zone, metadata, page frames) spans\n"
			"# 0x%" PRIx64 " .. 0x%" PRIx64 " of physical memory.\n",
			kernel_region_base(&cfg), cfg.mem_size - 1);
	} else if (!o.args || !o.args[0] || o.args[1]) {
		fprintf(stderr, "labyrinth run: expected one WORKLOAD file (see labyrinth run --help)\n");
		status = EXIT_BAD_INPUT;
	} else if (o.hot_lines < 0) {
		fprintf(stderr, "labyrinth run: --hot-lines must be 0 or more\n");
		status = EXIT_BAD_INPUT;
	} else if (o.timeline && cfg.mode != MODE_TIMING) {
		fprintf(stderr, "labyrinth run: --timeline needs timing mode (--mode timing)\n");
		status = EXIT_BAD_INPUT;
	} else if (protocols) {
		status = run_protocols(&o, protocols, o.args[0], &err);
		if (err)
			fprintf(stderr, "%s%s\n",
				status == EXIT_INTERNAL ? "labyrinth: internal error: " : "",
				err->message);
	} else {
		status = simulate(&cfg, &o, o.args[0], &err, NULL);
		if (err)
			fprintf(stderr, "%s%s\n",
				status == EXIT_INTERNAL ? "labyrinth: internal error: " : "",
				err->message);
	}
	config_clear(&cfg);
	run_options_clear(&o);
	return status;
}
