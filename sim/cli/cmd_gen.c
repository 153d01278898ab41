/* cmd_gen.c - `labyrinth gen PATTERN [options] [-o FILE]`: write a
 * synthetic workload (gen.h) to FILE, or to stdout without -o.
 *
 * The patterns, their knobs and defaults come from gen.c's table, so
 * --help cannot drift from what the generator does.  A knob the pattern
 * does not take is an error rather than silently ignored.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "input/workload.h"
#include "tools/gen.h"
#include "util/progress.h"

typedef struct {
	int cores;
	gint64 ops;
	char *seed, *output;
	double write_fraction, rmw_fraction, compute_fraction, shared_fraction;
	int lines, batch, order, think;
	char **args;
} GenOptions;

static void gen_options_clear(GenOptions *o)
{
	g_free(o->seed);
	g_free(o->output);
	g_strfreev(o->args);
}

/* "  NAME  knob defaults", the description wrapped, and the --ops rule. */
static char *patterns_help(void)
{
	GString *s = g_string_new("Patterns (docs/workloads.md has the full table):\n");
	for (gsize i = 0; i < gen_n_patterns(); i++) {
		const GenPattern *p = gen_pattern_at(i);
		const GenParams *d = &p->defaults;
		g_string_append_printf(s, "\n  %s", p->name);
		if (p->knobs & GEN_KNOB_WRITE)
			g_string_append_printf(s, "  --write-fraction %g", d->write_fraction);
		if (p->knobs & GEN_KNOB_RMW)
			g_string_append_printf(s, "  --rmw-fraction %g", d->rmw_fraction);
		if (p->knobs & GEN_KNOB_COMPUTE)
			g_string_append_printf(s, "  --compute-fraction %g", d->compute_fraction);
		if (p->knobs & GEN_KNOB_SHARED)
			g_string_append_printf(s, "  --shared-fraction %g", d->shared_fraction);
		if (p->knobs & GEN_KNOB_LINES)
			g_string_append_printf(s, "  --lines %d", d->lines);
		if (p->knobs & GEN_KNOB_BATCH)
			g_string_append_printf(s, "  --batch %d", d->batch);
		if (p->knobs & GEN_KNOB_ORDER)
			g_string_append_printf(s, "  --order %d", d->order);
		if (p->knobs & GEN_KNOB_THINK)
			g_string_append_printf(s, "  --think %d", d->think);
		g_string_append_c(s, '\n');
		g_autofree char *ops = g_strconcat("--ops: ", p->ops_rule, ".", NULL);
		const char *paragraphs[] = { p->exercises, ops };
		for (gsize k = 0; k < G_N_ELEMENTS(paragraphs); k++) {
			g_auto(GStrv) words = g_strsplit(paragraphs[k], " ", -1);
			gsize col = 0;
			for (char **w = words; *w; w++) {
				if (col && col + 1 + strlen(*w) > 78) {
					g_string_append_c(s, '\n');
					col = 0;
				}
				if (!col) {
					g_string_append(s, "      ");
					col = 6;
				} else {
					g_string_append_c(s, ' ');
					col++;
				}
				g_string_append(s, *w);
				col += strlen(*w);
			}
			g_string_append_c(s, '\n');
		}
	}
	g_string_append(s, "\nSame options, same bytes: nothing depends on the clock.  Patterns\n"
			   "with lock or barrier cannot run under --schedule file; the others\n"
			   "interleave the cores line by line, as the rounds schedule does.\n"
			   "A name ending in .gz is compressed.\n"
			   "Exit status: 0 success, 2 bad options or an unwritable FILE.");
	return g_string_free(s, FALSE);
}

/* A 64-bit seed, decimal or 0x hexadecimal. */
static gboolean parse_seed(const char *text, uint64_t *seed, GError **error)
{
	guint64 v;
	gboolean hex = g_str_has_prefix(text, "0x");
	if (!g_ascii_string_to_unsigned(hex ? text + 2 : text, hex ? 16 : 10, 0, G_MAXUINT64, &v,
					NULL)) {
		g_set_error(error, GEN_ERROR, GEN_ERROR_PARAM,
			    "--seed: expected a 64-bit number, found '%s'", text);
		return FALSE;
	}
	*seed = v;
	return TRUE;
}

static gboolean build_params(const GenOptions *o, GenParams *p, GError **error)
{
	gen_params_init(p);
	if (o->cores < 1 || o->cores > WL_MAX_CORES) {
		g_set_error(error, GEN_ERROR, GEN_ERROR_PARAM,
			    "--cores must be from 1 to %d, found %d", WL_MAX_CORES, o->cores);
		return FALSE;
	}
	if (o->ops < 1) {
		g_set_error(error, GEN_ERROR, GEN_ERROR_PARAM,
			    "--ops must be at least 1, found %" G_GINT64_FORMAT, o->ops);
		return FALSE;
	}
	p->cores = (unsigned)o->cores;
	p->ops = (uint64_t)o->ops;
	if (o->seed && !parse_seed(o->seed, &p->seed, error))
		return FALSE;
	p->write_fraction = o->write_fraction;
	p->rmw_fraction = o->rmw_fraction;
	p->compute_fraction = o->compute_fraction;
	p->shared_fraction = o->shared_fraction;
	p->lines = o->lines;
	p->batch = o->batch;
	p->order = o->order;
	p->think = o->think;
	return TRUE;
}

static int generate(const GenOptions *o, GError **error)
{
	if (!o->args || !o->args[0] || o->args[1]) {
		g_set_error(error, GEN_ERROR, GEN_ERROR_PARAM,
			    "expected one PATTERN (see labyrinth gen --help)");
		return EXIT_BAD_INPUT;
	}
	const GenPattern *pat = gen_pattern_lookup(o->args[0]);
	if (!pat) {
		g_autoptr(GString) names = g_string_new(NULL);
		for (gsize i = 0; i < gen_n_patterns(); i++)
			g_string_append_printf(names, "%s%s", i ? ", " : "",
					       gen_pattern_at(i)->name);
		g_set_error(error, GEN_ERROR, GEN_ERROR_PARAM,
			    "unknown pattern '%s' (expected one of %s)", o->args[0], names->str);
		return EXIT_BAD_INPUT;
	}
	GenParams params;
	if (!build_params(o, &params, error))
		return EXIT_BAD_INPUT;
	g_autoptr(GenWriter) w = gen_writer_open(o->output, error);
	if (!w)
		return EXIT_BAD_INPUT;
	Progress *progress = progress_new("operations", params.ops);
	gen_writer_set_progress(w, progress);
	gboolean ok = gen_write(pat, &params, w, error) && gen_writer_finish(w, error);
	progress_free(progress);
	if (!ok)
		return EXIT_BAD_INPUT;
	if (o->output && strcmp(o->output, "-") != 0)
		fprintf(stderr, "labyrinth gen: wrote %" PRIu64 " operations for %u cores to %s\n",
			gen_writer_ops(w), params.cores, o->output);
	return EXIT_OK;
}

int cmd_gen(int argc, char **argv)
{
	GenOptions o = {
		.cores = 4,
		.ops = 1000,
		.write_fraction = NAN,
		.rmw_fraction = NAN,
		.compute_fraction = NAN,
		.shared_fraction = NAN,
		.lines = GEN_UNSET,
		.batch = GEN_UNSET,
		.order = GEN_UNSET,
		.think = GEN_UNSET,
	};
	GOptionEntry entries[] = {
		{ "cores", 'n', 0, G_OPTION_ARG_INT, &o.cores, "Number of cores (default 4)", "N" },
		{ "ops", 'm', 0, G_OPTION_ARG_INT64, &o.ops,
		  "Operation lines to write (default 1000; each pattern says how exactly)", "M" },
		{ "seed", 's', 0, G_OPTION_ARG_STRING, &o.seed,
		  "Seed of the pseudo-random choices (default 1)", "S" },
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output,
		  "Write to FILE, whole or not at all (default: stdout)", "FILE" },
		{ "write-fraction", 0, 0, G_OPTION_ARG_DOUBLE, &o.write_fraction,
		  "private, read-mostly, random: fraction of operations that are stores", "F" },
		{ "rmw-fraction", 0, 0, G_OPTION_ARG_DOUBLE, &o.rmw_fraction,
		  "random: fraction of operations that are rmw add", "F" },
		{ "compute-fraction", 0, 0, G_OPTION_ARG_DOUBLE, &o.compute_fraction,
		  "random: fraction of operations that are compute", "F" },
		{ "shared-fraction", 0, 0, G_OPTION_ARG_DOUBLE, &o.shared_fraction,
		  "random: fraction of memory operations on shared data", "F" },
		{ "lines", 0, 0, G_OPTION_ARG_INT, &o.lines,
		  "Cache lines of the pattern's data: working set, table, buffer, record, "
		  "critical section, or lines touched per block",
		  "L" },
		{ "batch", 0, 0, G_OPTION_ARG_INT, &o.batch,
		  "alloc-storm: blocks each core holds at once (1-16)", "B" },
		{ "order", 0, 0, G_OPTION_ARG_INT, &o.order,
		  "alloc-storm, reserve-drain: 2^K pages per allocation (0-10)", "K" },
		{ "think", 0, 0, G_OPTION_ARG_INT, &o.think,
		  "lock-storm, random: cycles of each compute line", "C" },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.args, NULL, "PATTERN" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	/* "Usage: labyrinth gen [OPTION...] PATTERN - ..." */
	g_set_prgname("labyrinth gen");
	g_autoptr(GOptionContext) ctx = g_option_context_new("- write a synthetic workload");
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_autofree char *description = patterns_help();
	g_option_context_set_description(ctx, description);
	g_autoptr(GError) err = NULL;
	int status;
	if (!g_option_context_parse(ctx, &argc, &argv, &err))
		status = EXIT_BAD_INPUT;
	else
		status = generate(&o, &err);
	if (err)
		fprintf(stderr, "labyrinth gen: %s\n", err->message);
	gen_options_clear(&o);
	return status;
}
