/* cmd_verify.c - `labyrinth verify random ...` and `labyrinth verify
 * exhaustive ...`: check the protocols (docs/verification.md).
 *
 * Exit statuses: 0 no violation, 1 a violation (its report on stdout: it
 * is the data asked for), 2 bad options.  The random tester writes the
 * minimised workload of a failure to a file (-o, or
 * random-PROTOCOL-SEED.wl) and names it on stderr.
 */
#include <errno.h>
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "protocol.h"
#include "input/config.h"
#include "verify/verify_exhaustive.h"
#include "verify/verify_random.h"

static const Protocol *protocol_or_error(const char *name, GError **error)
{
	const Protocol *p = proto_lookup(name ? name : "mesi");
	if (!p)
		g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_VALUE,
			    "--protocol: unknown protocol '%s' (expected one of %s)", name,
			    proto_names());
	return p;
}

static gboolean parse(GOptionContext *ctx, int *argc, char ***argv, const char *cmd,
		      GError **error)
{
	if (!g_option_context_parse(ctx, argc, argv, error))
		return FALSE;
	if (*argc > 1) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    "unexpected argument '%s' (see labyrinth verify %s --help)", (*argv)[1],
			    cmd);
		return FALSE;
	}
	return TRUE;
}

static int cmd_exhaustive(int argc, char **argv)
{
	g_autofree char *protocol = NULL;
	int cores = 3, lines = 1, values = 2;
	gint64 max_states = 50000000;
	gboolean no_claims = FALSE, all = FALSE, rows = FALSE;
	g_autofree char *proto_help =
		g_strdup_printf("Protocol to verify: %s (default mesi)", proto_names());
	GOptionEntry entries[] = {
		{ "protocol", 'p', 0, G_OPTION_ARG_STRING, &protocol, proto_help, "NAME" },
		{ "all", 0, 0, G_OPTION_ARG_NONE, &all, "Verify every protocol in turn", NULL },
		{ "cores", 0, 0, G_OPTION_ARG_INT, &cores, "Caches (default 3)", "N" },
		{ "lines", 0, 0, G_OPTION_ARG_INT, &lines, "Lines (default 1)", "N" },
		{ "values", 0, 0, G_OPTION_ARG_INT, &values, "Abstract data values (default 2)",
		  "N" },
		{ "no-claims", 0, 0, G_OPTION_ARG_NONE, &no_claims,
		  "Leave the allocator's claims (zero, rfo) out of the events", NULL },
		{ "max-states", 0, 0, G_OPTION_ARG_INT64, &max_states,
		  "Give up beyond this many states (default 50000000)", "N" },
		{ "rows", 0, 0, G_OPTION_ARG_NONE, &rows,
		  "List the table's defined rows the search never ran", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_set_prgname("labyrinth verify exhaustive");
	g_autoptr(GOptionContext) ctx =
		g_option_context_new("- explore every reachable state of a protocol table");
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(
		ctx, "Breadth-first over every cache's state and the data values, under every\n"
		     "interleaving of loads, stores, evictions and claims, on the simulator's\n"
		     "own controller.  Reports the states and transitions explored and either\n"
		     "\"no violation\" or the shortest event sequence that breaks an invariant.\n"
		     "Exit status: 0 no violation, 1 a violation, 2 bad options.");
	g_autoptr(GError) err = NULL;
	if (!parse(ctx, &argc, &argv, "exhaustive", &err)) {
		fprintf(stderr, "labyrinth verify exhaustive: %s\n", err->message);
		return EXIT_BAD_INPUT;
	}
	const Protocol *const *list = proto_all();
	const Protocol *one[2] = { NULL, NULL };
	if (!all) {
		if (!(one[0] = protocol_or_error(protocol, &err))) {
			fprintf(stderr, "labyrinth verify exhaustive: %s\n", err->message);
			return EXIT_BAD_INPUT;
		}
		list = one;
	}
	int status = EXIT_OK;
	for (; *list; list++) {
		VxOptions o = {
			.proto = *list,
			.cores = cores < 0 ? 0 : (unsigned)cores,
			.lines = lines < 0 ? 0 : (unsigned)lines,
			.values = values < 0 ? 0 : (unsigned)values,
			.no_claims = no_claims,
			.max_states = max_states < 0 ? 0 : (uint64_t)max_states,
		};
		VxResult r;
		if (!vx_run(&o, &r, &err)) {
			fprintf(stderr, "labyrinth verify exhaustive: %s\n", err->message);
			vx_result_clear(&r);
			return err->domain == VX_ERROR && err->code == VX_ERROR_LIMIT ? EXIT_CHECK_FAILED
										    : EXIT_BAD_INPUT;
		}
		printf("%s: %u cores, %u line%s, %u values%s: %" PRIu64 " states, %" PRIu64
		       " transitions, depth %u: ",
		       o.proto->name, o.cores, o.lines, o.lines == 1 ? "" : "s", o.values,
		       no_claims ? ", no claims" : "", r.states, r.transitions, r.depth);
		if (r.violation) {
			printf("VIOLATION\n  %s\n  after %u events:\n%s", r.violation, r.trace_len,
			       r.trace);
			status = EXIT_CHECK_FAILED;
		} else {
			printf("no violation\n");
		}
		if (rows) {
			for (int s = 0; s < o.proto->n_states; s++)
				for (int e = 0; e < PROTO_N_EVENTS; e++)
					if (proto_row(o.proto, s, e)->defined &&
					    !r.row_counts[s * PROTO_N_EVENTS + e])
						printf("  row never run: %s on %s\n",
						       o.proto->state_names[s], proto_event_name(e));
		}
		vx_result_clear(&r);
	}
	return status;
}

static gboolean write_workload(const char *path, const char *text, GError **error)
{
	/* Whole or not at all (cli.md): a temporary name, then a rename. */
	g_autofree char *tmp = g_strdup_printf("%s.tmp", path);
	if (!g_file_set_contents(tmp, text, -1, error))
		return FALSE;
	if (rename(tmp, path) != 0) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
			    "cannot write %s: %s", path, g_strerror(errno));
		remove(tmp);
		return FALSE;
	}
	return TRUE;
}

static int cmd_random(int argc, char **argv)
{
	g_autofree char *protocol = NULL, *mode = NULL, *output = NULL;
	int cores = 4, lines = 6, runs = 1;
	gint64 seed = 1, ops = 1000;
	gboolean no_minimise = FALSE, no_alloc = FALSE;
	g_autofree char *proto_help =
		g_strdup_printf("Protocol to test: %s (default mesi)", proto_names());
	GOptionEntry entries[] = {
		{ "protocol", 'p', 0, G_OPTION_ARG_STRING, &protocol, proto_help, "NAME" },
		{ "cores", 0, 0, G_OPTION_ARG_INT, &cores, "Cores (default 4)", "N" },
		{ "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "First seed (default 1)", "S" },
		{ "ops", 0, 0, G_OPTION_ARG_INT64, &ops, "Operations per workload (default 1000)",
		  "M" },
		{ "runs", 0, 0, G_OPTION_ARG_INT, &runs,
		  "Workloads to try, seeds S, S+1, ... (default 1)", "N" },
		{ "lines", 0, 0, G_OPTION_ARG_INT, &lines,
		  "Distinct lines the accesses touch (default 6)", "N" },
		{ "mode", 0, 0, G_OPTION_ARG_STRING, &mode,
		  "functional (default) or timing", "MODE" },
		{ "no-alloc", 0, 0, G_OPTION_ARG_NONE, &no_alloc,
		  "Leave the kernel calls (alloc, free, lock_page) out", NULL },
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
		  "Where a failure's minimised workload goes (default random-PROTOCOL-SEED.wl)",
		  "FILE" },
		{ "no-minimise", 0, 0, G_OPTION_ARG_NONE, &no_minimise,
		  "Keep a failing workload whole", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_set_prgname("labyrinth verify random");
	g_autoptr(GOptionContext) ctx =
		g_option_context_new("- random workloads through the engine, checked throughout");
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(
		ctx, "Loads, stores, rmws, locks, barriers and kernel calls over a few lines, on\n"
		     "small caches, with the invariant checker attached; the seed also picks one\n"
		     "of six machines (docs/verification.md).  A failure prints the seed and writes\n"
		     "a minimised workload that `labyrinth run --check` reproduces.\n"
		     "Exit status: 0 every run passed, 1 a failure, 2 bad options.");
	g_autoptr(GError) err = NULL;
	const Protocol *proto = NULL;
	if (!parse(ctx, &argc, &argv, "random", &err) ||
	    !(proto = protocol_or_error(protocol, &err))) {
		fprintf(stderr, "labyrinth verify random: %s\n", err->message);
		return EXIT_BAD_INPUT;
	}
	SimMode sim_mode = MODE_FUNCTIONAL;
	if (mode && strcmp(mode, "timing") == 0) {
		sim_mode = MODE_TIMING;
	} else if (mode && strcmp(mode, "functional") != 0) {
		fprintf(stderr,
			"labyrinth verify random: --mode: expected functional or timing, found '%s'\n",
			mode);
		return EXIT_BAD_INPUT;
	}
	if (seed < 0 || ops < 1 || runs < 1 || cores < 1 || lines < 1) {
		fprintf(stderr, "labyrinth verify random: --seed must be at least 0, and --ops, "
				"--runs, --cores and --lines at least 1\n");
		return EXIT_BAD_INPUT;
	}
	uint64_t checked = 0;
	for (int i = 0; i < runs; i++) {
		VrOptions o = {
			.proto = proto,
			.cores = (unsigned)cores,
			.seed = (uint64_t)seed + (uint64_t)i,
			.ops = (uint64_t)ops,
			.mode = sim_mode,
			.lines = (unsigned)lines,
			.no_minimise = no_minimise,
			.no_alloc = no_alloc,
		};
		VrResult r;
		if (!vr_run(&o, &r, &err)) {
			fprintf(stderr, "labyrinth verify random: %s\n", err->message);
			vr_result_clear(&r);
			return EXIT_BAD_INPUT;
		}
		checked += r.checked;
		if (r.failure) {
			g_autofree char *path = output ? g_strdup(output)
						       : g_strdup_printf("random-%s-%" PRIu64 ".wl",
									 proto->name, o.seed);
			printf("%s: seed %" PRIu64 ": FAILED\n%s\n", proto->name, o.seed, r.failure);
			if (!write_workload(path, r.workload, &err)) {
				fprintf(stderr, "labyrinth verify random: %s\n", err->message);
			} else {
				fprintf(stderr,
					"labyrinth verify random: seed %" PRIu64 ": minimised workload "
					"(%u of %" PRIu64 " operations) written to %s\n",
					o.seed, no_minimise ? (unsigned)r.generated_ops : r.minimised_ops,
					r.generated_ops, path);
			}
			vr_result_clear(&r);
			return EXIT_CHECK_FAILED;
		}
		vr_result_clear(&r);
	}
	printf("%s: %d %s run%s of %" G_GINT64_FORMAT " operations on %d cores (seeds %" G_GINT64_FORMAT
	       "..%" G_GINT64_FORMAT "), %" PRIu64 " accesses checked: no violation\n",
	       proto->name, runs, config_mode_name(sim_mode), runs == 1 ? "" : "s", ops, cores, seed,
	       seed + runs - 1, checked);
	return EXIT_OK;
}

int cmd_verify(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "random") == 0)
		return cmd_random(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "exhaustive") == 0)
		return cmd_exhaustive(argc - 1, argv + 1);
	FILE *out = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
			    ? stdout
			    : stderr;
	if (out == stderr && argc >= 2)
		fprintf(stderr, "labyrinth verify: unknown check '%s'\n\n", argv[1]);
	fprintf(out, "Usage: labyrinth verify random|exhaustive [OPTIONS]\n\n"
		     "  random      random workloads through the engine, checked throughout\n"
		     "  exhaustive  every reachable state of a protocol table\n\n"
		     "labyrinth verify CHECK --help describes a check's options.\n");
	return out == stdout ? EXIT_OK : EXIT_BAD_INPUT;
}
