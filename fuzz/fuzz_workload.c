/* fuzz_workload.c - libFuzzer harness for the workload reader (sim/input/wl_*.c).
 *
 * Each input is written to a file (named .wl.gz when it starts with the gzip
 * magic, so the decompressing path is fuzzed too) and read the way the
 * simulator reads it: wl_validate(), then a cursor over the whole file and
 * one per core.  Beyond "no crash, no sanitizer report", it checks that the
 * reader agrees with itself: the cursors return exactly the operations the
 * validating pass counted, every per-core cursor returns that core's
 * operations in the order the whole-file cursor does (the per-core cursor
 * seeks, the whole-file one does not), and every plain address is aligned
 * and inside the limits.  A disagreement aborts, which libFuzzer reports.
 *
 * Built by `make fuzz` (clang -fsanitize=fuzzer); see docs/verification.md.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input/config.h"
#include "input/workload.h"
#include "kernel/layout.h"

static char *dir;

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_workload: %s\n", what);
	abort();
}

static gboolean same_op(const WlOp *a, const WlOp *b)
{
	return a->addr == b->addr && a->value == b->value && a->value2 == b->value2 &&
	       a->expect == b->expect && a->line == b->line && a->core == b->core &&
	       a->kind == b->kind && a->rmw == b->rmw && a->reg == b->reg &&
	       a->has_value == b->has_value && a->has_expect == b->has_expect &&
	       a->order == b->order && a->gfp == b->gfp;
}

static void check_op(const WlOp *op, const WlInfo *info, const WlLimits *lim)
{
	if (op->core >= info->cores)
		fail("an operation for a core beyond the count");
	if (op->kind >= WL_N_OPS)
		fail("an unknown operation kind");
	gboolean has_addr = op->kind == WL_OP_LD || op->kind == WL_OP_ST || op->kind == WL_OP_RMW ||
			    op->kind == WL_OP_LOCK || op->kind == WL_OP_UNLOCK;
	if (has_addr && op->reg == WL_NO_REG &&
	    ((op->addr & 7) || op->addr >= lim->mem_size || op->addr >= lim->kernel_base))
		fail("a plain address that is unaligned or outside the limits");
	if (op->reg != WL_NO_REG && op->reg >= WL_N_REGS)
		fail("a register beyond r15");
	if (op->kind == WL_OP_ALLOC && op->order > WL_MAX_ORDER)
		fail("an alloc order beyond the maximum");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir)
		dir = g_dir_make_tmp("fuzz-wl-XXXXXX", NULL);
	gboolean gz = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
	g_autofree char *path = g_build_filename(dir, gz ? "input.wl.gz" : "input.wl", NULL);
	if (!g_file_set_contents(path, (const char *)data, (gssize)size, NULL))
		fail("cannot write the input");

	Config cfg;
	config_init(&cfg);
	WlLimits lim = {
		.cores = 0,
		.mem_size = cfg.mem_size,
		.kernel_base = kernel_region_base(&cfg),
	};
	config_clear(&cfg);
	WlFile *wl = wl_open(path, NULL);
	if (!wl) {
		g_unlink(path);
		return 0;
	}
	WlInfo *info = g_new0(WlInfo, 1);
	if (!wl_validate(wl, &lim, info, NULL))
		goto out;
	if (info->cores < 1 || info->cores > WL_MAX_CORES)
		fail("a core count out of range");

	/* The whole file in order, kept per core to compare with the cursors. */
	GArray **per_core = g_new0(GArray *, info->cores);
	uint64_t total = 0, kinds[WL_N_OPS] = { 0 };
	uint32_t last_line = 0;
	WlCursor *cur = wl_cursor_new(wl, -1, NULL);
	if (!cur)
		fail("a validated file has no whole-file cursor");
	WlOp op;
	int got;
	while ((got = wl_cursor_next(cur, &op, NULL)) > 0) {
		check_op(&op, info, &lim);
		if (op.line <= last_line)
			fail("line numbers do not increase");
		last_line = op.line;
		if (!per_core[op.core])
			per_core[op.core] = g_array_new(FALSE, FALSE, sizeof(WlOp));
		g_array_append_val(per_core[op.core], op);
		total++;
		kinds[op.kind]++;
	}
	wl_cursor_free(cur);
	if (got < 0)
		fail("a validated file failed to read back");
	if (total != info->operations)
		fail("the whole-file cursor disagrees with the operation count");
	for (int k = 0; k < WL_N_OPS; k++)
		if (kinds[k] != info->ops_of_kind[k])
			fail("the whole-file cursor disagrees with the count of a kind");

	/* Each core with operations, and the first core without any. */
	gboolean empty_seen = FALSE;
	for (unsigned c = 0; c < info->cores; c++) {
		guint want = per_core[c] ? per_core[c]->len : 0;
		if (want != info->ops_per_core[c])
			fail("a core's operation count disagrees with the whole-file cursor");
		if (!want && empty_seen)
			continue;
		empty_seen |= !want;
		cur = wl_cursor_new(wl, (int)c, NULL);
		if (!cur)
			fail("a validated file has no per-core cursor");
		guint i = 0;
		while ((got = wl_cursor_next(cur, &op, NULL)) > 0) {
			if (i >= want || !same_op(&op, &g_array_index(per_core[c], WlOp, i)))
				fail("a per-core cursor disagrees with the whole-file cursor");
			i++;
		}
		wl_cursor_free(cur);
		if (got < 0 || i != want)
			fail("a per-core cursor ended early");
	}
	for (unsigned c = 0; c < info->cores; c++)
		if (per_core[c])
			g_array_free(per_core[c], TRUE);
	g_free(per_core);
	wl_info_clear(info);
out:
	g_free(info);
	wl_free(wl);
	g_unlink(path);
	return 0;
}
