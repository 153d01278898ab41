/* regfile.c - the cores' page registers; see regfile.h.  16 registers a
 * core, 16 bytes each: a few KiB even for 1024 cores. */
#include <inttypes.h>

#include "engine.h"
#include "regfile.h"
#include "input/workload.h"
#include "kernel/layout.h"

typedef struct {
	uint64_t page;  /* first page of the block, or 0 */
	uint32_t line;  /* the alloc that filled it, or the free that emptied it */
	uint8_t order;
	uint8_t failed; /* page is 0 because the alloc on `line` failed */
} Reg;

struct RegFile {
	unsigned n_cores;
	Reg *regs; /* [n_cores * WL_N_REGS] */
};

RegFile *regfile_new(unsigned n_cores)
{
	RegFile *rf = g_new0(RegFile, 1);
	rf->n_cores = n_cores;
	rf->regs = g_new0(Reg, (gsize)n_cores * WL_N_REGS);
	return rf;
}

void regfile_free(RegFile *rf)
{
	if (!rf)
		return;
	g_free(rf->regs);
	g_free(rf);
}

static Reg *reg_of(const RegFile *rf, unsigned core, unsigned reg)
{
	g_assert(core < rf->n_cores && reg < WL_N_REGS);
	return &rf->regs[(gsize)core * WL_N_REGS + reg];
}

uint64_t regfile_page(const RegFile *rf, unsigned core, unsigned reg)
{
	return reg_of(rf, core, reg)->page;
}

unsigned regfile_order(const RegFile *rf, unsigned core, unsigned reg)
{
	return reg_of(rf, core, reg)->order;
}

void regfile_set(RegFile *rf, unsigned core, unsigned reg, uint64_t page, unsigned order,
		 uint32_t line)
{
	*reg_of(rf, core, reg) = (Reg){
		.page = page, .line = line, .order = (uint8_t)order, .failed = page == 0
	};
}

void regfile_clear(RegFile *rf, unsigned core, unsigned reg, uint32_t line)
{
	*reg_of(rf, core, reg) = (Reg){ .line = line };
}

gboolean regfile_held(const RegFile *rf, unsigned core, unsigned reg, GError **error)
{
	const Reg *r = reg_of(rf, core, reg);
	if (r->page)
		return TRUE;
	if (r->failed)
		g_set_error(error, SIM_ERROR, SIM_ERROR_INPUT,
			    "register r%u of core %u holds no page: its alloc on line %" PRIu32
			    " failed",
			    reg, core, r->line);
	else if (r->line)
		g_set_error(error, SIM_ERROR, SIM_ERROR_INPUT,
			    "register r%u of core %u holds no page: it was freed on line %" PRIu32,
			    reg, core, r->line);
	else
		g_set_error(error, SIM_ERROR, SIM_ERROR_INPUT,
			    "register r%u of core %u holds no page", reg, core);
	return FALSE;
}

gboolean regfile_resolve(const RegFile *rf, unsigned core, unsigned reg, uint64_t offset,
			 uint64_t *addr, GError **error)
{
	if (!regfile_held(rf, core, reg, error))
		return FALSE;
	const Reg *r = reg_of(rf, core, reg);
	uint64_t size = (uint64_t)KERNEL_PAGE_SIZE << r->order;
	if (offset >= size) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_INPUT,
			    "offset 0x%" PRIx64 " is beyond the %u-page block in r%u (0x%" PRIx64
			    " bytes, order %u)",
			    offset, 1u << r->order, reg, size, r->order);
		return FALSE;
	}
	*addr = r->page + offset;
	return TRUE;
}
