/* timing.h - timing mode: the discrete-event machine.  In-order blocking
 * cores, one snooping bus with an arbiter, and latencies from the
 * configuration; locks really spin in the caches and barriers really wait.
 * It answers "how long, and who waits for whom" (docs/timing.md). */
#ifndef LABYRINTH_TIMING_H
#define LABYRINTH_TIMING_H

#include "engine.h"
#include "input/config.h"
#include "input/workload.h"
#include "kernel/kernel.h"
#include "machine/machine.h"

/* Runs the validated workload on m.  FALSE with a SIM_ERROR (a failed
 * check, a deadlock) or a WL_ERROR; result holds what was done until then
 * and, on success, the timing statistics (result->timing). */
gboolean timing_run(Machine *m, WlFile *wl, const WlInfo *info, const Config *cfg,
		    RunResult *result, GError **error);
/* The same, with the kernel allocator k (NULL when the workload makes no
 * kernel calls) serving alloc, free, lock_page and unlock_page. */
gboolean timing_run_kernel(Machine *m, Kernel *k, WlFile *wl, const WlInfo *info,
			   const Config *cfg, RunResult *result, GError **error);

#endif
