/* gen.h - writing native workloads (shared/spec/workload-format.md) fast,
 * and the synthetic sharing patterns of `labyrinth gen`.
 *
 * GenWriter is a buffered writer of workload lines with numbers formatted
 * by hand; the importers of convert.h write through it too.  Its output is
 * stdout, memory (for tests), or a file written whole or not at all: the
 * lines go to a temporary file beside the target, renamed over it by
 * gen_writer_finish(); freeing an unfinished writer, or a fatal signal
 * while it is open, removes the temporary file.  A symbolic link is
 * followed (the link stays); a device or FIFO (/dev/null) is written
 * directly, never renamed over.  A name ending in ".gz" is
 * gzip-compressed.
 *
 * The patterns are a pure function of GenParams: the same parameters (seed
 * included) give the same bytes, on any machine.  The PRNG is xoshiro256**
 * seeded through splitmix64; nothing reads the clock.  Each pattern, what it
 * exercises, how --ops is counted and what to look for in the results, is
 * described in its table row in gen.c and in docs/workloads.md.
 */
#ifndef LABYRINTH_GEN_H
#define LABYRINTH_GEN_H

#include <glib.h>
#include <limits.h>
#include <stdint.h>

#include "util/progress.h"

/* Where the patterns put their data (plain addresses, far below the
 * allocator's region at the top of physical memory). */
#define GEN_LOCK_ADDR UINT64_C(0x1000)         /* lock-storm's lock word */
#define GEN_SHARED_BASE UINT64_C(0x100000)     /* shared data: 1 MiB up */
#define GEN_PRIVATE_BASE UINT64_C(0x1000000)   /* core c's private data: 16 MiB up... */
#define GEN_PRIVATE_STRIDE UINT64_C(0x1000000) /* ...plus c * 16 MiB */
#define GEN_MAX_LINES 65536u                   /* --lines at most: 4 MiB of 64-byte lines */

#define GEN_ERROR (gen_error_quark())
GQuark gen_error_quark(void);
typedef enum {
	GEN_ERROR_PARAM, /* a parameter out of range, or one the pattern does not take */
	GEN_ERROR_WRITE, /* the output cannot be created or written */
} GenError;

/* ------------------------------------------------------------------------
 * The writer. */

typedef struct GenWriter GenWriter;

/* path NULL or "-": stdout.  Otherwise a temporary file in path's
 * directory, renamed to path by gen_writer_finish() (for a regular file or
 * a new name). */
GenWriter *gen_writer_open(const char *path, GError **error);
/* Into memory; gen_writer_data() returns the bytes after finishing. */
GenWriter *gen_writer_new_memory(gboolean gzip);
/* Flushes everything, ends the gzip stream, closes and renames.  FALSE
 * with the first write error, and then the target is left untouched. */
gboolean gen_writer_finish(GenWriter *w, GError **error);
/* Frees the writer; an unfinished file's temporary is removed. */
void gen_writer_free(GenWriter *w);
const char *gen_writer_data(const GenWriter *w, gsize *len);
/* Operation lines written so far. */
uint64_t gen_writer_ops(const GenWriter *w);
/* Updates p (may be NULL) with the operation count at every flush. */
void gen_writer_set_progress(GenWriter *w, Progress *p);

/* Text written as it is: directives and comments (end lines with '\n'). */
void gen_text(GenWriter *w, const char *text);
void gen_printf(GenWriter *w, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* "# " + text wrapped at 76 columns, one comment line per wrapped line. */
void gen_comment(GenWriter *w, const char *text);

/* One operation line each.  reg is 0..15; flags as the format spells them
 * ("GFP_ATOMIC|__GFP_ZERO"); order 0 is left out. */
void gen_ld(GenWriter *w, unsigned core, uint64_t addr);
void gen_st(GenWriter *w, unsigned core, uint64_t addr);
void gen_rmw_add(GenWriter *w, unsigned core, uint64_t addr, uint64_t value);
void gen_compute(GenWriter *w, unsigned core, uint64_t cycles);
void gen_lock(GenWriter *w, unsigned core, uint64_t addr);
void gen_unlock(GenWriter *w, unsigned core, uint64_t addr);
void gen_barrier(GenWriter *w, unsigned core);
void gen_alloc(GenWriter *w, unsigned core, unsigned reg, const char *flags, unsigned order);
void gen_free(GenWriter *w, unsigned core, unsigned reg);
void gen_ld_reg(GenWriter *w, unsigned core, unsigned reg, uint64_t offset);
void gen_st_reg(GenWriter *w, unsigned core, unsigned reg, uint64_t offset);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(GenWriter, gen_writer_free)

/* ------------------------------------------------------------------------
 * The patterns. */

/* Parameters.  A knob left unset (NAN fraction, GEN_UNSET count) takes the
 * pattern's default; setting one the pattern does not use is an error. */
#define GEN_UNSET INT_MIN
typedef struct {
	unsigned cores;          /* 1 .. WL_MAX_CORES */
	uint64_t ops;            /* --ops M: operation lines; each pattern says how exactly */
	uint64_t seed;
	double write_fraction;   /* of operations that are stores */
	double rmw_fraction;     /* random: of operations that are rmw add */
	double compute_fraction; /* random: of operations that are compute */
	double shared_fraction;  /* random: of memory operations that go to shared data */
	int lines; /* working set, buffer, record, critical section or touched lines */
	int batch; /* alloc-storm: blocks each core holds at once, 1..16 */
	int order; /* alloc-storm, reserve-drain: pages per block are 2^order, 0..10 */
	int think; /* lock-storm, random: cycles of each compute line */
} GenParams;

void gen_params_init(GenParams *p); /* 4 cores, 1000 ops, seed 1, every knob unset */

/* Knobs, as a bit mask of what a pattern takes. */
enum {
	GEN_KNOB_WRITE = 1 << 0,
	GEN_KNOB_RMW = 1 << 1,
	GEN_KNOB_COMPUTE = 1 << 2,
	GEN_KNOB_SHARED = 1 << 3,
	GEN_KNOB_LINES = 1 << 4,
	GEN_KNOB_BATCH = 1 << 5,
	GEN_KNOB_ORDER = 1 << 6,
	GEN_KNOB_THINK = 1 << 7,
};

typedef struct GenContext GenContext;

typedef struct {
	const char *name;
	const char *exercises; /* what the pattern does and what it exercises */
	const char *look_for;  /* what to look for in the results */
	const char *ops_rule;  /* how --ops M turns into lines */
	unsigned knobs;        /* GEN_KNOB_* it takes */
	GenParams defaults;    /* the knobs' defaults (other fields unused) */
	gboolean sync;         /* uses lock or barrier: not for --schedule file */
	gboolean alloc;        /* uses the kernel allocator */
	void (*write)(GenContext *ctx);
} GenPattern;

gsize gen_n_patterns(void);
const GenPattern *gen_pattern_at(gsize i);
const GenPattern *gen_pattern_lookup(const char *name);

/* Checks params against the pattern and writes the whole workload: header
 * (%labyrinth-workload 1, %cores, %name), comments saying how it was made
 * and what to look for, then the operations. */
gboolean gen_write(const GenPattern *pat, const GenParams *params, GenWriter *w,
		   GError **error);

#endif
