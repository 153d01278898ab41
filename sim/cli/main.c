/* main.c - the labyrinth command: dispatches to a subcommand (cli.h). */
#include <glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "autoconfig.h"
#include "cli.h"

typedef struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} Subcommand;

static const Subcommand subcommands[] = {
	{ "run", cmd_run, "simulate a workload; report on stdout, JSON with --stats-json" },
	{ "compare", cmd_compare, "runs side by side, or two event traces to their first divergence" },
	{ "verify", cmd_verify, "check the protocols: random workloads, or every reachable state" },
	{ "gen", cmd_gen, "write a synthetic workload: a named sharing pattern" },
	{ "convert", cmd_convert, "import traces: Dinero din, cs4223, valgrind lackey, tid" },
	{ "sweep", cmd_sweep, "run a grid of configurations in parallel; DIR/sweep.csv" },
	{ "plot", cmd_plot, "gnuplot figures from a sweep, or from a timing run's timeline" },
};

static void usage(FILE *out)
{
	fprintf(out, "Usage: labyrinth COMMAND [OPTIONS]\n\n"
		     "A multicore cache-coherence simulator.\n\nCommands:\n");
	for (gsize i = 0; i < G_N_ELEMENTS(subcommands); i++)
		fprintf(out, "  %-10s %s\n", subcommands[i].name, subcommands[i].summary);
	fprintf(out, "\nlabyrinth COMMAND --help describes a command's options.\n"
		     "labyrinth --version prints the version.\n");
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "C");
	g_set_prgname("labyrinth");
	if (argc < 2) {
		usage(stderr);
		return EXIT_BAD_INPUT;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("labyrinth %s\n", PACKAGE_VERSION);
		return EXIT_OK;
	}
	for (gsize i = 0; i < G_N_ELEMENTS(subcommands); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "labyrinth: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return EXIT_BAD_INPUT;
}
