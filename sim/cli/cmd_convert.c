/* cmd_convert.c - `labyrinth convert --from FORMAT INPUT... -o OUTPUT`:
 * import traces of other tools (convert.h) as a native workload.
 *
 * OUTPUT is written whole or not at all: a malformed input line stops the
 * conversion with FILE:LINE and exit status 2, and no output file is left.
 * "-o -" writes to stdout, where a failed conversion may already have
 * written part of its output.  A summary for people goes to stderr: lines
 * read, operations written, lines dropped and why.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tools/convert.h"
#include "tools/gen.h"
#include "util/progress.h"

typedef struct {
	char *from, *output;
	char **inputs;
} ConvertOptions;

static void convert_options_clear(ConvertOptions *o)
{
	g_free(o->from);
	g_free(o->output);
	g_strfreev(o->inputs);
}

static void print_summary(const ConvertOptions *o, const ConvStats *s)
{
	uint64_t dropped = 0;
	for (int i = 0; i < CONV_N_DROPS; i++)
		dropped += s->dropped[i];
	fprintf(stderr,
		"labyrinth convert: read %" PRIu64 " lines from %u file%s; wrote %" PRIu64
		" operations for %u core%s to %s\n",
		s->lines_read, s->files, s->files == 1 ? "" : "s", s->operations, s->cores,
		s->cores == 1 ? "" : "s", strcmp(o->output, "-") == 0 ? "stdout" : o->output);
	if (!dropped)
		return;
	fprintf(stderr, "labyrinth convert: dropped %" PRIu64 " line%s: ", dropped,
		dropped == 1 ? "" : "s");
	const char *sep = "";
	for (int i = 0; i < CONV_N_DROPS; i++) {
		if (!s->dropped[i])
			continue;
		fprintf(stderr, "%s%s %" PRIu64, sep, conv_drop_reason((ConvDrop)i),
			s->dropped[i]);
		sep = ", ";
	}
	fputc('\n', stderr);
}

static int convert(const ConvertOptions *o, GError **error)
{
	ConvFormat fmt;
	if (!o->from) {
		g_set_error(error, CONV_ERROR, CONV_ERROR_USAGE,
			    "expected --from din, cs4223, lackey or tid");
		return EXIT_BAD_INPUT;
	}
	if (!conv_format_from_name(o->from, &fmt)) {
		g_set_error(error, CONV_ERROR, CONV_ERROR_USAGE,
			    "--from: unknown format '%s' (expected din, cs4223, lackey or tid)",
			    o->from);
		return EXIT_BAD_INPUT;
	}
	if (!o->output) {
		g_set_error(error, CONV_ERROR, CONV_ERROR_USAGE,
			    "expected -o OUTPUT (- for stdout)");
		return EXIT_BAD_INPUT;
	}
	if (!o->inputs || !o->inputs[0]) {
		g_set_error(error, CONV_ERROR, CONV_ERROR_USAGE,
			    "expected INPUT files (see labyrinth convert --help)");
		return EXIT_BAD_INPUT;
	}
	g_autoptr(GenWriter) w = gen_writer_open(o->output, error);
	if (!w)
		return EXIT_BAD_INPUT;
	Progress *progress = progress_new("operations", 0);
	gen_writer_set_progress(w, progress);
	ConvStats stats;
	gboolean ok = conv_convert(fmt, (const char *const *)o->inputs,
				   g_strv_length(o->inputs), w, &stats, error) &&
		      gen_writer_finish(w, error);
	progress_free(progress);
	if (!ok)
		return EXIT_BAD_INPUT;
	print_summary(o, &stats);
	return EXIT_OK;
}

int cmd_convert(int argc, char **argv)
{
	ConvertOptions o = { 0 };
	GOptionEntry entries[] = {
		{ "from", 'f', 0, G_OPTION_ARG_STRING, &o.from,
		  "Input format: din, cs4223, lackey or tid", "FORMAT" },
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output,
		  "Write the native workload to FILE (- for stdout; .gz compresses)", "FILE" },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.inputs, NULL,
		  "INPUT..." },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	/* "Usage: labyrinth convert [OPTION...] INPUT... - ..." */
	g_set_prgname("labyrinth convert");
	g_autoptr(GOptionContext) ctx =
		g_option_context_new("- import traces as a native workload");
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(
		ctx,
		"Formats:\n"
		"  din     Dinero IV: LABEL ADDR per line; 0 read, 1 write, 2 instruction\n"
		"          fetch (dropped), 3 and 4 escapes (dropped); the rest of a line is\n"
		"          ignored.  One file per core.\n"
		"  cs4223  0 ADDR load, 1 ADDR store, 2 N compute N cycles, all hexadecimal.\n"
		"          File i is core i.\n"
		"  lackey  valgrind --tool=lackey --trace-mem=yes --log-file=F output:\n"
		"          ==PID== and I lines dropped, L/S/M ADDR,SIZE accesses.  One file\n"
		"          per core.\n"
		"  tid     TID L|S|M ADDR SIZE and TID I N (compute N), one trace of all\n"
		"          threads; threads become cores in order of first appearance and\n"
		"          the output keeps the trace's order (for --schedule file).\n"
		"\n"
		"Addresses are hexadecimal, with or without 0x.  An access becomes, for\n"
		"every 8-byte word it touches in address order, a load (L), a store (S),\n"
		"or a load then a store (M); stores carry no value.  Blank lines and\n"
		"lines starting with # are dropped.  Inputs ending in .gz are\n"
		"decompressed.  Several files are written one after the other, each\n"
		"core's lines together.\n"
		"\n"
		"Exit status: 0 success, 2 bad input (FILE:LINE: expected ..., found ...),\n"
		"and then no OUTPUT file is written.");
	g_autoptr(GError) err = NULL;
	int status;
	if (!g_option_context_parse(ctx, &argc, &argv, &err))
		status = EXIT_BAD_INPUT;
	else
		status = convert(&o, &err);
	if (err)
		fprintf(stderr, "labyrinth convert: %s\n", err->message);
	convert_options_clear(&o);
	return status;
}
