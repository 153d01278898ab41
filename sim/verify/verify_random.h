/* verify_random.h - `labyrinth verify random`: random workloads through the
 * real engine with the invariant checker attached.
 *
 * A seed gives a workload of loads, stores of explicit values, rmws
 * (add, xchg, cas), lock/unlock pairs around short critical sections,
 * barriers, compute, and kernel calls (alloc, free, lock_page/unlock_page
 * and accesses through the page registers), spread over a handful of
 * lines so that cores conflict all the time, on one of six small machines
 * (below) so that evictions race with snoops.  It runs in functional mode
 * or timing mode (sim/engine/timing.c), each run in a child process so that a
 * crash is a finding, not the tester's end.  The checker's shadow is the
 * reference sequential model: every load must return the last value the
 * bus order stored.  A failing workload is shrunk by delta debugging
 * (dropping operations while the same kind of failure persists) and the
 * minimised file, which `labyrinth run --check` replays, is kept.
 */
#ifndef LABYRINTH_VERIFY_RANDOM_H
#define LABYRINTH_VERIFY_RANDOM_H

#include <glib.h>
#include <stdint.h>

#include "protocol.h"
#include "input/config.h"

#define VR_MAX_CORES 16
#define VR_MAX_LINES 32
#define VR_LINE 64

/* The seed also picks one of six machines, so that every kind of race
 * comes up (seed % 6):
 *   caches of 4 lines (2 sets x 2 ways)     0: per-CPU lists, claim zero
 *                                           1: global lists, claim rfo
 *   caches of 16 lines (4 sets x 4 ways)    2: global lists, claim zero
 *                                           3: per-CPU lists, claim rfo
 *   caches of 128 lines (16 sets x 8 ways)  4: per-CPU lists, claim rfo
 *                                           5: global lists, claim zero
 * Small caches make evictions race with snoops; only caches larger than a
 * page keep a freed page's lines until it is claimed again (a claim walks
 * all 64 lines of a page).  Global free lists move pages between cores at
 * once; per-CPU lists give a core its own page back. */

typedef struct {
	const Protocol *proto;
	unsigned cores;     /* 1 .. VR_MAX_CORES */
	uint64_t seed;
	uint64_t ops;       /* operations to generate (unlocks closing sections come on top) */
	SimMode mode;
	unsigned lines;     /* distinct lines touched, 1 .. VR_MAX_LINES */
	gboolean no_minimise;
	gboolean no_alloc;  /* leave the kernel calls out */
} VrOptions;

typedef struct {
	char *failure;       /* NULL: the run passed; else what the checker or the engine said */
	char *workload;      /* on failure: the minimised workload file's text */
	unsigned minimised_ops;
	uint64_t generated_ops;
	uint64_t checked;    /* accesses and claims the checker saw (passing run) */
	unsigned shrink_runs;/* simulations delta debugging took */
} VrResult;

#define VR_ERROR (vr_error_quark())
GQuark vr_error_quark(void);
typedef enum {
	VR_ERROR_OPTION,   /* a bound out of range */
	VR_ERROR_INTERNAL, /* the generated workload did not read back, or a file failed */
} VrError;

/* Generates, runs and (on failure) minimises one workload.  TRUE when it
 * ran, passing or not (see result->failure). */
gboolean vr_run(const VrOptions *opts, VrResult *result, GError **error);
void vr_result_clear(VrResult *result);

/* The workload a seed gives, as the text of a workload file. */
char *vr_generate(const VrOptions *opts);
/* Runs a workload text under opts' protocol, cores and mode with the
 * checker attached.  *failure is NULL if it passed.  FALSE only if it
 * could not be run at all. */
gboolean vr_run_text(const VrOptions *opts, const char *text, char **failure, uint64_t *checked,
		     GError **error);
/* The configuration the tester's machine uses for opts' seed. */
void vr_config(const VrOptions *opts, Config *cfg);
/* The options of `labyrinth run` that give that configuration (g_free). */
char *vr_run_options(const VrOptions *opts);

#endif
