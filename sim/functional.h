/* functional.h - functional mode: the workload in a fixed order anyone can
 * reproduce by hand (workload-format.md, "Functional mode"). */
#ifndef LABYRINTH_FUNCTIONAL_H
#define LABYRINTH_FUNCTIONAL_H

#include "config.h"
#include "engine.h"
#include "machine.h"
#include "workload.h"

/* Runs the validated workload on m under the given schedule.  FALSE with a
 * SIM_ERROR (a failed check, a deadlock, a bad register) or a WL_ERROR
 * (reading failed); result holds what was done up to then. */
gboolean functional_run(Machine *m, WlFile *wl, const WlInfo *info, SimSchedule schedule,
			RunResult *result, GError **error);

#endif
