/* stats.h - the statistics of a run: JSON as shared/spec/stats.md says,
 * and the human-readable report with the same numbers. */
#ifndef LABYRINTH_STATS_H
#define LABYRINTH_STATS_H

#include <json-glib/json-glib.h>
#include <stdio.h>

#include "hotlines.h"
#include "engine/engine.h"
#include "input/config.h"
#include "kernel/kernel.h"
#include "machine/machine.h"

#define STATS_SCHEMA 1

typedef struct {
	const char *workload_path;
	const char *workload_name; /* %name, or NULL */
	uint64_t workload_operations;
	const Config *cfg;          /* effective; cfg->cores is the run's core count */
	const Machine *m;
	const RunResult *res;
	const HotLines *hot_lines;  /* the contention report (--hot-lines), or NULL */
	unsigned hot_top;           /* how many of its lines to show */
	const Kernel *kernel;       /* the allocator, or NULL when the workload used none */
} StatsInput;

/* The JSON object of stats.md (more keys are added after the spec's). */
JsonNode *stats_to_json(const StatsInput *in);
/* Writes the JSON to path ("-" is stdout), whole or not at all. */
gboolean stats_write_json(const StatsInput *in, const char *path, GError **error);
/* The report on out; with transitions, the (state, event) matrix too. */
void stats_print_report(const StatsInput *in, FILE *out, gboolean transitions);

/* Writes data to path through a temporary file and a rename, so readers
 * never see half a file; "-" writes to stdout. */
gboolean stats_write_file_atomic(const char *path, const char *data, gsize len, GError **error);

#endif
