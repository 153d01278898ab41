/* functional.h - functional mode: the workload in a fixed order anyone can
 * reproduce by hand (workload-format.md, "Functional mode"). */
#ifndef LABYRINTH_FUNCTIONAL_H
#define LABYRINTH_FUNCTIONAL_H

#include "engine.h"
#include "input/config.h"
#include "input/workload.h"
#include "kernel/kernel.h"
#include "machine/machine.h"

/* Runs the validated workload on m under the given schedule, with the
 * simulated kernel k for alloc, free, lock_page and unlock_page (NULL when
 * the workload uses none of them).  FALSE with a SIM_ERROR (a failed check,
 * a deadlock, a bad register), a KERNEL_ERROR (a bad free or unlock_page;
 * a broken allocator invariant) or a WL_ERROR (reading failed); every
 * message starts with FILE:LINE when a line caused it.  result holds what
 * was done up to then. */
gboolean functional_run_kernel(Machine *m, Kernel *k, WlFile *wl, const WlInfo *info,
			       SimSchedule schedule, RunResult *result, GError **error);
/* The same without a kernel, for workloads that do not use it. */
gboolean functional_run(Machine *m, WlFile *wl, const WlInfo *info, SimSchedule schedule,
			RunResult *result, GError **error);

#endif
