/* kcall.h - a workload's kernel call (alloc, free, lock_page, unlock_page)
 * as the core model (core.c) starts and finishes it: which page the register holds,
 * leaks, and what the registers and the page-lock table look like after.
 * The steps in between are the core model's loop over kernel_next(). */
#ifndef LABYRINTH_KCALL_H
#define LABYRINTH_KCALL_H

#include <glib.h>

#include "regfile.h"
#include "input/workload.h"
#include "kernel/kernel.h"

/* Begins op's call on core at now.  FALSE with an error (bad free, a
 * register that holds no page); the engine adds FILE:LINE. */
gboolean kcall_begin(Kernel *k, RegFile *regs, unsigned core, const WlOp *op, uint64_t now,
		     GError **error);
/* After KSTEP_DONE: registers and page-lock holders (page -> core + 1). */
void kcall_finish(Kernel *k, RegFile *regs, GHashTable *page_lock_holders, unsigned core,
		  const WlOp *op);

#endif
