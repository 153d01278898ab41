/* regfile.h - the cores' page registers r0..r15 (workload-format.md).
 *
 * `alloc rN` fills rN with the first page's address and the block's order
 * (or 0 when the allocation failed), `free rN` clears it, and `ld`, `st`,
 * `rmw`, `lock` and `unlock` may address rN+OFFSET inside the block.  Both
 * engines keep one RegFile; resolving an address checks the register
 * holds a page and the offset stays inside its 2^order pages.
 */
#ifndef LABYRINTH_REGFILE_H
#define LABYRINTH_REGFILE_H

#include <glib.h>
#include <stdint.h>

typedef struct RegFile RegFile;

RegFile *regfile_new(unsigned n_cores);
void regfile_free(RegFile *rf);

/* The page rN of core holds (0: none) and its block's order. */
uint64_t regfile_page(const RegFile *rf, unsigned core, unsigned reg);
unsigned regfile_order(const RegFile *rf, unsigned core, unsigned reg);
/* After an alloc on workload line `line`: page (0 for a failed alloc) and
 * order.  The line is remembered for messages about a failed alloc. */
void regfile_set(RegFile *rf, unsigned core, unsigned reg, uint64_t page, unsigned order,
		 uint32_t line);
/* After a free on workload line `line`. */
void regfile_clear(RegFile *rf, unsigned core, unsigned reg, uint32_t line);

/* rN + offset as a physical address, or FALSE with SIM_ERROR_INPUT:
 * "register rN of core C holds no page (...)" or "offset 0x... is beyond
 * the 2^order-page block in rN".  The engine adds FILE:LINE. */
gboolean regfile_resolve(const RegFile *rf, unsigned core, unsigned reg, uint64_t offset,
			 uint64_t *addr, GError **error);
/* The same message for a register that holds no page, for callers that
 * need the page itself (free, lock_page): FALSE and error if rN is empty. */
gboolean regfile_held(const RegFile *rf, unsigned core, unsigned reg, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RegFile, regfile_free)

#endif
