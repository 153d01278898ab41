/* kcall.c - starting and finishing a workload's kernel call; see kcall.h. */
#include "kcall.h"

gboolean kcall_begin(Kernel *k, RegFile *regs, unsigned core, const WlOp *op, uint64_t now,
		     GError **error)
{
	uint64_t page = regfile_page(regs, core, op->reg);
	g_autoptr(GError) e = NULL;

	switch (op->kind) {
	case WL_OP_ALLOC:
		/* The register's old block stays allocated: a leak. */
		if (page)
			kernel_note_leak(k, core, page);
		kernel_begin_alloc(k, core, op->gfp, op->order, now);
		return TRUE;
	case WL_OP_FREE:
		if (!regfile_held(regs, core, op->reg, &e)) {
			g_set_error(error, KERNEL_ERROR, KERNEL_ERROR_BAD_FREE, "free r%u: %s",
				    op->reg, e->message);
			return FALSE;
		}
		return kernel_begin_free(k, core, page, now, error);
	case WL_OP_LOCK_PAGE:
		return regfile_held(regs, core, op->reg, error) &&
		       kernel_begin_lock_page(k, core, page, now, error);
	case WL_OP_UNLOCK_PAGE:
		return regfile_held(regs, core, op->reg, error) &&
		       kernel_begin_unlock_page(k, core, page, now, error);
	default:
		g_assert_not_reached();
	}
}

void kcall_finish(Kernel *k, RegFile *regs, GHashTable *page_lock_holders, unsigned core,
		  const WlOp *op)
{
	uint64_t page = regfile_page(regs, core, op->reg);

	switch (op->kind) {
	case WL_OP_ALLOC: {
		uint64_t got = kernel_result(k, core);
		regfile_set(regs, core, op->reg, got, got ? op->order : 0, op->line);
		break;
	}
	case WL_OP_FREE:
		regfile_clear(regs, core, op->reg, op->line);
		break;
	case WL_OP_LOCK_PAGE:
		g_hash_table_insert(page_lock_holders, GSIZE_TO_POINTER(page),
				    GUINT_TO_POINTER(core + 1));
		break;
	case WL_OP_UNLOCK_PAGE:
		g_hash_table_remove(page_lock_holders, GSIZE_TO_POINTER(page));
		break;
	default:
		g_assert_not_reached();
	}
}
