/* compare.h - runs side by side, and two event traces walked together.
 *
 * Statistics: each run's JSON (docs/stats.md) is flattened to one row per
 * numeric leaf ("totals.misses", "cores[1].stall_cycles"), printed with
 * one column per run and the ratio to the first.  Configuration and
 * workload settings are rows too, shown only where the runs differ.
 *
 * Event traces (docs/events.md): the two traces are matched operation by
 * operation, keyed by (core, op index), and compared on what two
 * protocols have in common: each access's bus transactions, where its
 * data came from, and which other caches lost their copy.  Memory is one
 * record per cache line touched; the traces themselves are streamed, once
 * per core.
 */
#ifndef LABYRINTH_COMPARE_H
#define LABYRINTH_COMPARE_H

#include <json-glib/json-glib.h>
#include <stdint.h>
#include <stdio.h>

#define COMPARE_ERROR (compare_error_quark())
GQuark compare_error_quark(void);
typedef enum {
	COMPARE_ERROR_FORMAT, /* not a statistics file or an event trace */
} CompareError;

/* One run's statistics. */
typedef struct {
	char *label;    /* the column's heading */
	JsonNode *root; /* the object of docs/stats.md */
} CompareRun;

CompareRun *compare_run_new(const char *label, JsonNode *root); /* takes a reference */
void compare_run_free(CompareRun *r);

/* Appends path's runs to runs (of CompareRun *): one for a statistics
 * file, or one per member, labelled "path:name", for an object of runs
 * keyed by name (what `run --protocol a,b --stats-json` writes). */
gboolean compare_load_stats(const char *path, GPtrArray *runs, GError **error);

typedef enum { CMP_NONE, CMP_INT, CMP_DOUBLE, CMP_STRING } CompareValueKind;
typedef struct {
	CompareValueKind kind; /* CMP_NONE: the run lacks this row */
	gint64 i;
	double d;
	const char *s; /* owned by the run's JsonNode */
} CompareValue;

typedef struct {
	char *name;
	gboolean setting;     /* configuration or workload: shown only where runs differ */
	gboolean equal;       /* present in every run with the same value */
	CompareValue *values; /* [n_runs] */
} CompareRow;

/* The rows, settings first, then statistics in the order the first run
 * that has them lists them.  diff_only drops the rows equal everywhere.
 * Free with g_ptr_array_unref. */
GPtrArray *compare_rows(GPtrArray *runs, gboolean diff_only);
/* The table: one column per run, each after the first with its ratio to
 * the first ("=" when equal, "-" when the first is 0). */
void compare_print_table(GPtrArray *runs, gboolean diff_only, FILE *out);

/* How the same line fared in the two traces: [0] is A, [1] is B. */
typedef struct {
	uint64_t line;
	uint64_t txns[2];          /* bus transactions, write-backs of the line included */
	uint64_t invalidations[2]; /* copies removed by this line's transactions */
	uint64_t transfers[2];     /* cache-to-cache transfers of the line */
} CompareLineDiff;

typedef struct {
	unsigned core;
	uint64_t op_index; /* UINT64_MAX when the traces do not say */
	uint32_t wl_line;  /* 0 when the traces do not say */
} CompareOpRef;

typedef struct {
	char *label[2], *protocol[2], *mode[2], *workload[2];
	uint64_t events[2];
	uint64_t operations;       /* operations (core, op index) seen in either trace */
	uint64_t differing;        /* of them, those that differ */
	/* The first divergence: the differing operation that came first in A
	 * (by cycle, then core), or in B if A lacks it. */
	gboolean diverged;
	unsigned core;
	uint64_t op_index;         /* UINT64_MAX when the traces do not say */
	uint32_t wl_line;          /* 0 when the traces do not say */
	char *op;
	uint64_t cycle[2];
	char *what[2];             /* each side's events for that operation, or "(none)" */
	GArray *first_per_core;    /* CompareOpRef: each core's first differing operation */
	GArray *lines;             /* CompareLineDiff where A and B differ, most different first */
} CompareEvents;

gboolean compare_events(const char *path_a, const char *path_b, CompareEvents *res,
			GError **error);
void compare_events_clear(CompareEvents *res);
/* The report: the first divergence, then the top lines. */
void compare_events_print(const CompareEvents *res, unsigned top, FILE *out);

#endif
