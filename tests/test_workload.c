/* test_workload.c - the workload reader (sim/input/wl_*.c) against the format
 * spec: one row per error class with the exact message expected, every
 * operation parsed into hand-written WlOp values, .gz input, and cursors
 * (all cores, one core, after a seek, across block boundaries). */
#include <gio/gio.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "suites.h"
#include "testutil.h"
#include "input/workload.h"

#define H  "%labyrinth-workload 1\n"
#define NR WL_NO_REG

/* 4 GiB of memory, the allocator's region from 0xf0000000. */
static const WlLimits test_limits = {
	.cores = 0,
	.mem_size = UINT64_C(1) << 32,
	.kernel_base = UINT64_C(0xf0000000),
};

/* Opens and validates path; NULL (and *error) if either fails. */
static WlFile *open_validated(const char *path, const WlLimits *limits, WlInfo *info,
			      GError **error)
{
	g_autoptr(WlFile) wl = wl_open(path, error);

	if (!wl || !wl_validate(wl, limits, info, error))
		return NULL;
	return g_steal_pointer(&wl);
}

static WlFile *validate_ok(const char *path, const WlLimits *limits, WlInfo *info)
{
	GError *err = NULL;
	WlFile *wl = open_validated(path, limits, info, &err);

	ck_assert_msg(wl, "%s", err ? err->message : "?");
	return wl;
}

/* Every operation of the cursor, into ops (at most max); the count. */
static unsigned read_cursor(WlFile *wl, int core, WlOp *ops, unsigned max)
{
	GError *err = NULL;
	g_autoptr(WlCursor) cur = wl_cursor_new(wl, core, &err);
	unsigned n = 0;
	WlOp op;
	int r;

	ck_assert_msg(cur, "%s", err ? err->message : "?");
	while ((r = wl_cursor_next(cur, &op, &err)) == 1) {
		ck_assert_uint_lt(n, max);
		ops[n++] = op;
	}
	ck_assert_msg(r == 0, "%s", err ? err->message : "?");
	ck_assert_int_eq(wl_cursor_next(cur, &op, &err), 0); /* the end stays the end */
	return n;
}

static void assert_op_eq(const WlOp *got, const WlOp *want)
{
	ck_assert_msg(got->line == want->line, "line: got %u, want %u", got->line, want->line);
#define FIELD(f)                                                                                   \
	ck_assert_msg(got->f == want->f,                                                           \
		      "line %u: " #f " is %" G_GUINT64_FORMAT ", want %" G_GUINT64_FORMAT,         \
		      want->line, (guint64)got->f, (guint64)want->f)
	FIELD(core);
	FIELD(kind);
	FIELD(addr);
	FIELD(value);
	FIELD(value2);
	FIELD(expect);
	FIELD(rmw);
	FIELD(reg);
	FIELD(has_value);
	FIELD(has_expect);
	FIELD(order);
	FIELD(gfp);
#undef FIELD
	/* WlOp has no padding: nothing else may differ either. */
	ck_assert(memcmp(got, want, sizeof(*got)) == 0);
}

/* ------------------------------------------------------------------------
 * Malformed workloads: one row per error class, the whole message after
 * "PATH:" as the reader must print it.
 */
typedef struct {
	const char *text;
	unsigned cores; /* limits.cores, as --cores gives it */
	const char *message;
} ErrorRow;

static const ErrorRow error_rows[] = {
	/* The header. */
	{"0 ld 0x1000\n", 0, "1: expected the header '%labyrinth-workload 1', found 0 ld 0x1000"},
	{"# a comment\n\n%labyrinth-workload 2\n", 0,
	 "3: expected the header '%labyrinth-workload 1', found %labyrinth-workload 2"},
	{"%labyrinth-workload 1 2\n", 0,
	 "1: expected the header '%labyrinth-workload 1', found %labyrinth-workload 1 2"},
	{"%labyrinth-workload 01\n", 0,
	 "1: expected the header '%labyrinth-workload 1', found %labyrinth-workload 01"},
	{"%cores 2\n" H, 0, "1: expected the header '%labyrinth-workload 1', found %cores 2"},
	{"", 0, "1: expected the header '%labyrinth-workload 1', found end of file"},
	{"# only\n# comments\n", 0,
	 "2: expected the header '%labyrinth-workload 1', found end of file"},
	/* Directives. */
	{H "0 ld 0x1000\n%cores 2\n", 0, "3: %cores must come before the first operation (line 2)"},
	{H "# c\n0 ld 0x1000\n\n%name late\n", 0,
	 "5: %name must come before the first operation (line 3)"},
	{H "%cores 2\n%name x\n%cores 2\n", 0, "4: duplicate %cores (the first is on line 2)"},
	{H "%name a\n%name b\n", 0, "3: duplicate %name (the first is on line 2)"},
	{H H, 0, "2: duplicate %labyrinth-workload (the first is on line 1)"},
	{H "%core 2\n", 0, "2: unknown directive '%core' (expected %cores or %name)"},
	{H "%seed 7\n", 0, "2: unknown directive '%seed' (expected %cores or %name)"},
	{H "%cores 0\n", 0, "2: expected a core count from 1 to 1024, found 0"},
	{H "%cores 1025\n", 0, "2: expected a core count from 1 to 1024, found 1025"},
	{H "%cores\n", 0, "2: expected a core count, found end of line"},
	{H "%cores two\n", 0, "2: expected a core count, found two"},
	{H "%cores 2 3\n", 0, "2: expected end of line, found 3"},
	{H "%name   # nothing\n", 0, "2: expected a name after %name, found end of line"},
	{H "%name \xff\xfe\n", 0, "2: expected a name in UTF-8, found other bytes"},
	/* Operation names. */
	{H "\n0 lod 0x1000\n", 0,
	 "3: unknown operation 'lod' (expected ld, st, rmw, compute, lock, unlock, alloc, free, "
	 "lock_page, unlock_page or barrier)"},
	{H "0 LD 0x1000\n", 0,
	 "2: unknown operation 'LD' (expected ld, st, rmw, compute, lock, unlock, alloc, free, "
	 "lock_page, unlock_page or barrier)"},
	{H "0 load_linked_and_then_some_more_words_here 0x1000\n", 0,
	 "2: unknown operation 'load_linked_and_then_some_more_words_her...' (expected ld, st, "
	 "rmw, "
	 "compute, lock, unlock, alloc, free, lock_page, unlock_page or barrier)"},
	{H "0\n", 0, "2: expected an operation, found end of line"},
	{H "0 # no operation\n", 0, "2: expected an operation, found end of line"},
	{H "ld 0x1000\n", 0, "2: expected a core number, found ld"},
	{H "0ld 0x1000\n", 0, "2: expected a core number, found 0ld"},
	/* Numbers. */
	{H "0 ld 0x10g0\n", 0, "2: expected an address, found 0x10g0"},
	{H "0 ld 0x\n", 0, "2: expected an address, found 0x"},
	{H "0 ld zz\n", 0, "2: expected an address, found zz"},
	{H "0 st 0x1000 12ab\n", 0, "2: expected a value, found 12ab"},
	{H "0 st 0x1000 18446744073709551616\n", 0,
	 "2: expected a value that fits in 64 bits, found 18446744073709551616"},
	{H "0 compute 0x10000000000000000\n", 0,
	 "2: expected a cycle count that fits in 64 bits, found 0x10000000000000000"},
	{H "0 compute 99999999999999999999999\n", 0,
	 "2: expected a cycle count that fits in 64 bits, found 99999999999999999999999"},
	{H "0 ld 0x1000 =18446744073709551616\n", 0,
	 "2: expected =VALUE (like =42 or =0x2a) that fits in 64 bits, found "
	 "=18446744073709551616"},
	{H "0 ld 0X1000\n", 0,
	 "2: expected an address, found 0X1000 (hexadecimal numbers start with a lower-case 0x)"},
	{H "0 st 0x1000 -1\n", 0, "2: expected a value, found -1 (numbers have no sign)"},
	{H "0 st 0x1000 +1\n", 0, "2: expected a value, found +1 (numbers have no sign)"},
	{H "-1 ld 0x1000\n", 0, "2: expected a core number, found -1 (numbers have no sign)"},
	{H "0 ld 0x1000 =\n", 0, "2: expected =VALUE (like =42 or =0x2a), found ="},
	{H "0 ld 0x1000 = 42\n", 0, "2: expected =VALUE (like =42 or =0x2a), found ="},
	/* Addresses. */
	{H "0 ld 0x1000\n0 ld 0x1001\n", 0, "3: expected an 8-byte aligned address, found 0x1001"},
	{H "0 st 4100 1\n", 0, "2: expected an 8-byte aligned address, found 4100"},
	{H "0 rmw add 0x1004 1\n", 0, "2: expected an 8-byte aligned address, found 0x1004"},
	{H "0 ld 0x100000000\n", 0,
	 "2: expected an address below 0x100000000 (the end of physical memory), found "
	 "0x100000000"},
	{H "0 lock 0xf0000000\n", 0,
	 "2: address 0xf0000000 is in the kernel allocator's region (0xf0000000 and up): plain "
	 "addresses must be below it; its pages are reached through a register that alloc filled"},
	{H "0 st 0xf0001008 5\n", 0,
	 "2: address 0xf0001008 is in the kernel allocator's region (0xf0000000 and up): plain "
	 "addresses must be below it; its pages are reached through a register that alloc filled"},
	/* Cores. */
	{H "%cores 8\n0 ld 0x1000\n1 ld 0x1000\n2 ld 0x1000\n3 ld 0x1000\n0 ld 0x1000\n"
	   "1 ld 0x1000\n4 ld 0x1000\n",
	 4, "9: core 4 is out of range (the workload has 4 cores: 0..3)"},
	{H "%cores 2\n0 ld 0x1000\n2 ld 0x1000\n", 0,
	 "4: core 2 is out of range (the workload has 2 cores: 0..1)"},
	{H "%cores 1\n1 ld 0x1000\n", 0, "3: core 1 is out of range (the workload has 1 core: 0)"},
	{H "1023 ld 0x1000\n1024 ld 0x1000\n", 0,
	 "3: core 1024 is out of range (at most 1024 cores: 0..1023)"},
	{H "99999999999999999999 ld 0x1000\n", 0,
	 "2: expected a core number that fits in 64 bits, found 99999999999999999999"},
	{H "0 ld 0x1000\n", 2000, " 2000 cores asked for; at most 1024 are possible"},
	/* Registers. */
	{H "0 alloc r1 GFP_KERNEL\n0 ld r16+8\n", 0, "3: expected a register r0..r15, found r16+8"},
	{H "0 free r16\n", 0, "2: expected a register r0..r15, found r16"},
	{H "0 free r01\n", 0, "2: expected a register r0..r15, found r01"},
	{H "0 alloc x1 GFP_KERNEL\n", 0, "2: expected a register r0..r15, found x1"},
	{H "0 alloc r1+8 GFP_KERNEL\n", 0, "2: expected a register r0..r15, found r1+8"},
	{H "0 alloc r1 GFP_KERNEL\n0 st r1-8 1\n", 0, "3: expected a register r0..r15, found r1-8"},
	{H "0 alloc r1 GFP_KERNEL\n0 st r1+ 1\n", 0, "3: expected an offset, found end of line"},
	{H "0 alloc r1 GFP_KERNEL\n0 ld r1+0x41\n", 0,
	 "3: expected an 8-byte aligned offset, found 0x41"},
	{H "%cores 2\n0 alloc r3 GFP_KERNEL\n1 ld r3+0x40\n", 0,
	 "4: register r3 of core 1 holds no page: no earlier alloc into it"},
	{H "0 ld r2\n0 alloc r2 GFP_KERNEL\n", 0,
	 "2: register r2 of core 0 holds no page: no earlier alloc into it"},
	{H "0 free r2\n", 0, "2: register r2 of core 0 holds no page: no earlier alloc into it"},
	{H "0 lock_page r5\n", 0,
	 "2: register r5 of core 0 holds no page: no earlier alloc into it"},
	{H "0 unlock_page r5\n", 0,
	 "2: register r5 of core 0 holds no page: no earlier alloc into it"},
	{H "0 alloc r1 GFP_KERNEL\n0 free r1\n# gone\n0 st r1 7\n", 0,
	 "5: register r1 of core 0 holds no page: it was freed on line 3"},
	{H "0 alloc r1 GFP_KERNEL\n0 free r1\n0 free r1\n", 0,
	 "4: register r1 of core 0 holds no page: it was freed on line 3"},
	/* Missing operands. */
	{H "0 ld\n", 0, "2: expected an address, found end of line"},
	{H "0 st # nothing\n", 0, "2: expected an address, found end of line"},
	{H "0 rmw\n", 0, "2: expected an rmw kind (add, xchg or cas), found end of line"},
	{H "0 rmw add\n", 0, "2: expected an address, found end of line"},
	{H "0 rmw add 0x1000\n", 0, "2: expected a value, found end of line"},
	{H "0 rmw cas 0x1000\n", 0, "2: expected the value to compare, found end of line"},
	{H "0 rmw cas 0x1000 1\n", 0, "2: expected the new value, found end of line"},
	{H "0 compute\n", 0, "2: expected a cycle count, found end of line"},
	{H "0 lock\n", 0, "2: expected an address, found end of line"},
	{H "0 unlock\n", 0, "2: expected an address, found end of line"},
	{H "0 alloc\n", 0, "2: expected a register r0..r15, found end of line"},
	{H "0 alloc r1\n", 0, "2: expected gfp flags, found end of line"},
	{H "0 free\n", 0, "2: expected a register r0..r15, found end of line"},
	{H "0 lock_page\n", 0, "2: expected a register r0..r15, found end of line"},
	{H "0 unlock_page\n", 0, "2: expected a register r0..r15, found end of line"},
	/* Extra tokens. */
	{H "0 ld 0x1000 5\n", 0, "2: expected end of line, found 5"},
	{H "0 ld 0x1000 =5 =6\n", 0, "2: expected end of line, found =6"},
	{H "0 st 0x1000 1 2\n", 0, "2: expected end of line, found 2"},
	{H "0 rmw add 0x1000 1 2\n", 0, "2: expected end of line, found 2"},
	{H "0 rmw cas 0x1000 1 2 3\n", 0, "2: expected end of line, found 3"},
	{H "0 compute 5 cycles\n", 0, "2: expected end of line, found cycles"},
	{H "0 lock 0x1000 0x2000\n", 0, "2: expected end of line, found 0x2000"},
	{H "0 unlock 0x1000 x\n", 0, "2: expected end of line, found x"},
	{H "0 barrier now\n", 0, "2: expected end of line, found now"},
	{H "0 alloc r1 GFP_KERNEL 0 1\n", 0, "2: expected end of line, found 1"},
	{H "0 alloc r1 GFP_KERNEL\n0 free r1 r2\n", 0, "3: expected end of line, found r2"},
	{H "0 alloc r1 GFP_KERNEL\n0 lock_page r1 1\n", 0, "3: expected end of line, found 1"},
	{H "0 alloc r1 GFP_KERNEL\n0 unlock_page r1 1\n", 0, "3: expected end of line, found 1"},
	/* rmw kinds, gfp flags, orders. */
	{H "0 rmw sub 0x1000 1\n", 0, "2: expected an rmw kind (add, xchg or cas), found sub"},
	{H "0 alloc r1 GFP_KERNEL|GFP_DMA\n", 0,
	 "2: unknown gfp flag 'GFP_DMA' (expected GFP_ATOMIC, GFP_NOWAIT, GFP_KERNEL, __GFP_ZERO, "
	 "__GFP_HIGH or __GFP_NOWARN, joined by '|')"},
	{H "0 alloc r1 gfp_kernel\n", 0,
	 "2: unknown gfp flag 'gfp_kernel' (expected GFP_ATOMIC, GFP_NOWAIT, GFP_KERNEL, "
	 "__GFP_ZERO, __GFP_HIGH or __GFP_NOWARN, joined by '|')"},
	{H "0 alloc r1 GFP_KERNEL|\n", 0,
	 "2: unknown gfp flag '' (expected GFP_ATOMIC, GFP_NOWAIT, GFP_KERNEL, __GFP_ZERO, "
	 "__GFP_HIGH or __GFP_NOWARN, joined by '|')"},
	{H "0 alloc r1 GFP_KERNEL 11\n", 0, "2: expected an order from 0 to 10, found 11"},
	{H "0 alloc r1 GFP_KERNEL 0x10\n", 0, "2: expected an order from 0 to 10, found 0x10"},
	{H "0 alloc r1 GFP_KERNEL x\n", 0, "2: expected an order from 0 to 10, found x"},
	/* Line numbers: CRLF ends, a last line without '\n'. */
	{H "\r\n0 ld 0x1000\r\n0 ld 0x1001\r\n", 0,
	 "4: expected an 8-byte aligned address, found 0x1001"},
	{H "0 ld 0x1000\n0 ld 0x1001", 0, "3: expected an 8-byte aligned address, found 0x1001"},
};

START_TEST(test_errors)
{
	const ErrorRow *row = &error_rows[_i];
	g_autofree char *path = tu_write_temp(row->text, ".wl");
	WlLimits limits = test_limits;
	GError *err = NULL;
	WlInfo info;

	limits.cores = row->cores;
	g_autoptr(WlFile) wl = wl_open(path, &err);
	ck_assert_msg(wl, "%s", err ? err->message : "?");
	ck_assert(!wl_validate(wl, &limits, &info, &err));
	ck_assert_ptr_nonnull(err);
	g_autofree char *want = g_strconcat(path, ":", row->message, NULL);
	ck_assert_msg(strcmp(err->message, want) == 0, "row %d:\n got: %s\nwant: %s", _i,
		      err->message, want);
	ck_assert(g_error_matches(err, WL_ERROR, WL_ERROR_PARSE));
	ck_assert_ptr_null(info.name);
	g_error_free(err);
}
END_TEST

/* ------------------------------------------------------------------------
 * Every operation, parsed.
 */
static const char every_op_text[] =
	"# every operation once\n"					 /* 1 */
	"%labyrinth-workload 1\n"					 /* 2 */
	"%name every op  # trailing comment\n"				 /* 3 */
	"%cores 3\n"							 /* 4 */
	"\n"								 /* 5 */
	"0 ld 0x1000\n"							 /* 6 */
	"0 ld 4096 =42\n"						 /* 7 */
	"0 ld 0x1008 =0x2a   # expects 42\n"				 /* 8 */
	"1 st 0x2000\n"							 /* 9 */
	"1\tst\t0x2008\t7\n"						 /* 10 */
	"  2 compute 100\n"						 /* 11 */
	"2 rmw add 0x3000 1\n"						 /* 12 */
	"2 rmw xchg 0x3008 0xff\n"					 /* 13 */
	"2 rmw cas 0x3010 0 1\n"					 /* 14 */
	"0 lock 0x4000\n"						 /* 15 */
	"0 unlock 0x4000#no blank before the comment\n"			 /* 16 */
	"1 alloc r1 GFP_ATOMIC|__GFP_ZERO\n"				 /* 17 */
	"1 alloc r15 GFP_KERNEL|__GFP_HIGH|__GFP_NOWARN|GFP_NOWAIT 10\n" /* 18 */
	"1 st r1+0x40 7\n"						 /* 19 */
	"1 ld r15 =0\n"							 /* 20 */
	"1 rmw cas r1+8 1 2\n"						 /* 21 */
	"1 lock r1+16\n"						 /* 22 */
	"1 unlock r1+16\n"						 /* 23 */
	"1 lock_page r1\n"						 /* 24 */
	"1 unlock_page r1\n"						 /* 25 */
	"1 free r1\n"							 /* 26 */
	"0 barrier\n"							 /* 27 */
	"1 barrier # last\n"						 /* 28 */
	"2 st 0x5000 18446744073709551615\n"				 /* 29 */
	"2 ld 0x5000 =0xffffffffffffffff";				 /* 30, no '\n' */

/* clang-format off */
static const WlOp every_op[] = {
	{.line = 6, .core = 0, .kind = WL_OP_LD, .reg = NR, .addr = 0x1000},
	{.line = 7, .core = 0, .kind = WL_OP_LD, .reg = NR, .addr = 4096, .expect = 42, .has_expect = 1},
	{.line = 8, .core = 0, .kind = WL_OP_LD, .reg = NR, .addr = 0x1008, .expect = 42, .has_expect = 1},
	{.line = 9, .core = 1, .kind = WL_OP_ST, .reg = NR, .addr = 0x2000},
	{.line = 10, .core = 1, .kind = WL_OP_ST, .reg = NR, .addr = 0x2008, .value = 7, .has_value = 1},
	{.line = 11, .core = 2, .kind = WL_OP_COMPUTE, .reg = NR, .value = 100},
	{.line = 12, .core = 2, .kind = WL_OP_RMW, .rmw = WL_RMW_ADD, .reg = NR, .addr = 0x3000, .value = 1},
	{.line = 13, .core = 2, .kind = WL_OP_RMW, .rmw = WL_RMW_XCHG, .reg = NR, .addr = 0x3008, .value = 0xff},
	{.line = 14, .core = 2, .kind = WL_OP_RMW, .rmw = WL_RMW_CAS, .reg = NR, .addr = 0x3010, .value = 0, .value2 = 1},
	{.line = 15, .core = 0, .kind = WL_OP_LOCK, .reg = NR, .addr = 0x4000},
	{.line = 16, .core = 0, .kind = WL_OP_UNLOCK, .reg = NR, .addr = 0x4000},
	{.line = 17, .core = 1, .kind = WL_OP_ALLOC, .reg = 1, .gfp = WL_GFP_ATOMIC | WL_GFP_ZERO},
	{.line = 18, .core = 1, .kind = WL_OP_ALLOC, .reg = 15, .order = 10,
	 .gfp = WL_GFP_KERNEL | WL_GFP_HIGH | WL_GFP_NOWARN | WL_GFP_NOWAIT},
	{.line = 19, .core = 1, .kind = WL_OP_ST, .reg = 1, .addr = 0x40, .value = 7, .has_value = 1},
	{.line = 20, .core = 1, .kind = WL_OP_LD, .reg = 15, .addr = 0, .expect = 0, .has_expect = 1},
	{.line = 21, .core = 1, .kind = WL_OP_RMW, .rmw = WL_RMW_CAS, .reg = 1, .addr = 8, .value = 1, .value2 = 2},
	{.line = 22, .core = 1, .kind = WL_OP_LOCK, .reg = 1, .addr = 16},
	{.line = 23, .core = 1, .kind = WL_OP_UNLOCK, .reg = 1, .addr = 16},
	{.line = 24, .core = 1, .kind = WL_OP_LOCK_PAGE, .reg = 1},
	{.line = 25, .core = 1, .kind = WL_OP_UNLOCK_PAGE, .reg = 1},
	{.line = 26, .core = 1, .kind = WL_OP_FREE, .reg = 1},
	{.line = 27, .core = 0, .kind = WL_OP_BARRIER, .reg = NR},
	{.line = 28, .core = 1, .kind = WL_OP_BARRIER, .reg = NR},
	{.line = 29, .core = 2, .kind = WL_OP_ST, .reg = NR, .addr = 0x5000, .value = UINT64_MAX, .has_value = 1},
	{.line = 30, .core = 2, .kind = WL_OP_LD, .reg = NR, .addr = 0x5000, .expect = UINT64_MAX, .has_expect = 1},
};
/* clang-format on */

static void check_every_op_info(const WlInfo *info)
{
	ck_assert_str_eq(info->name, "every op");
	ck_assert_uint_eq(info->cores, 3);
	ck_assert_uint_eq(info->declared_cores, 3);
	ck_assert_uint_eq(info->operations, 25);
	ck_assert_uint_eq(info->ops_per_core[0], 6);
	ck_assert_uint_eq(info->ops_per_core[1], 13);
	ck_assert_uint_eq(info->ops_per_core[2], 6);
	ck_assert_uint_eq(info->ops_per_core[3], 0);
	ck_assert_uint_eq(info->ops_of_kind[WL_OP_LD], 5);
	ck_assert_uint_eq(info->ops_of_kind[WL_OP_ST], 4);
	ck_assert_uint_eq(info->ops_of_kind[WL_OP_RMW], 4);
	ck_assert_uint_eq(info->ops_of_kind[WL_OP_COMPUTE], 1);
	ck_assert_uint_eq(info->ops_of_kind[WL_OP_LOCK], 2);
	ck_assert_uint_eq(info->ops_of_kind[WL_OP_UNLOCK], 2);
	ck_assert_uint_eq(info->ops_of_kind[WL_OP_BARRIER], 2);
	ck_assert_uint_eq(info->ops_of_kind[WL_OP_ALLOC], 2);
	ck_assert_uint_eq(info->ops_of_kind[WL_OP_FREE], 1);
	ck_assert_uint_eq(info->ops_of_kind[WL_OP_LOCK_PAGE], 1);
	ck_assert_uint_eq(info->ops_of_kind[WL_OP_UNLOCK_PAGE], 1);
	ck_assert(info->uses_lock);
	ck_assert(info->uses_barrier);
	ck_assert(info->uses_alloc);
}

/* The all-cores cursor returns every operation, in file order; each
 * per-core cursor exactly its core's, in order. */
static void check_every_op_cursors(WlFile *wl)
{
	WlOp ops[64];
	unsigned n = read_cursor(wl, -1, ops, G_N_ELEMENTS(ops));

	ck_assert_uint_eq(n, G_N_ELEMENTS(every_op));
	for (unsigned i = 0; i < n; i++)
		assert_op_eq(&ops[i], &every_op[i]);
	for (int c = 0; c < 3; c++) {
		n = read_cursor(wl, c, ops, G_N_ELEMENTS(ops));
		unsigned k = 0;
		for (unsigned i = 0; i < G_N_ELEMENTS(every_op); i++)
			if (every_op[i].core == c) {
				ck_assert_uint_lt(k, n);
				assert_op_eq(&ops[k++], &every_op[i]);
			}
		ck_assert_uint_eq(k, n);
	}
}

START_TEST(test_every_op)
{
	g_autofree char *path = tu_write_temp(every_op_text, ".wl");
	WlInfo info;
	g_autoptr(WlFile) wl = validate_ok(path, &test_limits, &info);

	ck_assert_str_eq(wl_path(wl), path);
	check_every_op_info(&info);
	check_every_op_cursors(wl);
	wl_info_clear(&info);
	ck_assert_ptr_null(info.name);
}
END_TEST

START_TEST(test_every_op_gz)
{
	g_autofree char *path = tu_write_temp_gz(every_op_text, ".wl.gz");
	WlInfo info;
	g_autoptr(WlFile) wl = validate_ok(path, &test_limits, &info);

	check_every_op_info(&info);
	check_every_op_cursors(wl);
	wl_info_clear(&info);
}
END_TEST

/* gzip -c a b and cat a.gz b.gz make one file of two members: it means
 * both, not the first alone. */
START_TEST(test_gz_members)
{
	g_autofree char *a = tu_write_temp_gz(H "%cores 2\n0 ld 0x1000\n", ".gz");
	g_autofree char *b = tu_write_temp_gz("1 st 0x2000 5\n0 ld 0x1000 =0\n", ".gz");
	g_autofree char *ab = tu_write_temp("", ".wl.gz");
	g_autofree char *da = NULL, *db = NULL;
	gsize la, lb;
	GError *err = NULL;

	ck_assert(g_file_get_contents(a, &da, &la, &err));
	ck_assert(g_file_get_contents(b, &db, &lb, &err));
	g_autofree char *both = g_malloc(la + lb);
	memcpy(both, da, la);
	memcpy(both + la, db, lb);
	ck_assert(g_file_set_contents(ab, both, (gssize)(la + lb), &err));

	WlInfo info;
	g_autoptr(WlFile) wl = validate_ok(ab, &test_limits, &info);
	ck_assert_uint_eq(info.operations, 3);
	WlOp ops[4];
	ck_assert_uint_eq(read_cursor(wl, -1, ops, 4), 3);
	assert_op_eq(&ops[2], &(WlOp){.line = 5,
				      .core = 0,
				      .kind = WL_OP_LD,
				      .addr = 0x1000,
				      .reg = NR,
				      .has_expect = 1});
	ck_assert_uint_eq(read_cursor(wl, 1, ops, 4), 1);
	assert_op_eq(&ops[0], &(WlOp){.line = 4,
				      .core = 1,
				      .kind = WL_OP_ST,
				      .addr = 0x2000,
				      .reg = NR,
				      .value = 5,
				      .has_value = 1});
	wl_info_clear(&info);
}
END_TEST

/* The fast path (one-digit core, single spaces, "ld"/"st" with a hex
 * address) and the general parser give the same WlOp: each line is
 * followed by the same operation spelled so the fast path refuses it. */
START_TEST(test_fast_path_agrees)
{
	static const char *const lines[] = {
		"0 ld 0x8",
		"0 ld 0x10",
		"3 ld 0x1a2b3c40",
		"3 ld 0xABCDEF08",
		"1 ld 0x12345678",
		"2 ld 0x123456789abcdef0",
		"2 ld 0x00000000000000000000000000000008",
		"0 st 0x1000",
		"0 st 0x1000 0",
		"0 st 0x1000 42",
		"9 st 0xe0000000 18446744073709551615",
		"9 st 0xe0000000 1844674407370955161",
		"9 st 0xe0000000 00000000000000000000001",
	};
	GString *text = g_string_new(H "%cores 10\n");
	for (guint i = 0; i < G_N_ELEMENTS(lines); i++)
		g_string_append_printf(text, "%s\n\t%s  # the same\n", lines[i], lines[i]);
	g_autofree char *path = tu_write_temp(text->str, ".wl");
	g_string_free(text, TRUE);
	WlInfo info;
	g_autoptr(WlFile) wl = validate_ok(path, NULL, &info); /* no address limits */
	WlOp ops[2 * G_N_ELEMENTS(lines)];

	ck_assert_uint_eq(read_cursor(wl, -1, ops, G_N_ELEMENTS(ops)), G_N_ELEMENTS(ops));
	for (guint i = 0; i < G_N_ELEMENTS(lines); i++) {
		WlOp general = ops[2 * i + 1];
		ck_assert_uint_eq(general.line, ops[2 * i].line + 1);
		general.line = ops[2 * i].line;
		assert_op_eq(&ops[2 * i], &general);
	}
	assert_op_eq(&ops[10], &(WlOp){.line = 13,
				       .core = 2,
				       .kind = WL_OP_LD,
				       .addr = UINT64_C(0x123456789abcdef0),
				       .reg = NR});
	assert_op_eq(&ops[20], &(WlOp){.line = 23,
				       .core = 9,
				       .kind = WL_OP_ST,
				       .addr = 0xe0000000,
				       .reg = NR,
				       .value = UINT64_MAX,
				       .has_value = 1});
	wl_info_clear(&info);
}
END_TEST

/* ------------------------------------------------------------------------
 * Core counts and what the workload uses.
 */
typedef struct {
	const char *text;
	unsigned limit_cores;
	unsigned cores;
	unsigned declared;
	uint64_t operations;
} CoresRow;

static const CoresRow cores_rows[] = {
	{H "1 ld 0x10\n3 ld 0x18\n", 0, 4, 0, 2}, /* highest id + 1 */
	{H "%cores 8\n0 ld 0x10\n", 0, 8, 8, 1},  /* %cores; cores 1..7 idle */
	{H "%cores 8\n2 ld 0x10\n", 3, 3, 8, 1},  /* --cores wins */
	{H "%cores 2\n0 ld 0x10\n", 5, 5, 2, 1},  /* ... either way */
	{H "0 ld 0x10\n", 1024, 1024, 0, 1},
	{H "1023 ld 0x10\n", 0, 1024, 0, 1},
	{H, 0, 1, 0, 0}, /* no operations */
	{H "%cores 4\n# nothing\n", 0, 4, 4, 0},
	{H, 2, 2, 0, 0},
};

START_TEST(test_cores)
{
	const CoresRow *row = &cores_rows[_i];
	g_autofree char *path = tu_write_temp(row->text, ".wl");
	WlLimits limits = test_limits;
	WlInfo info;

	limits.cores = row->limit_cores;
	g_autoptr(WlFile) wl = validate_ok(path, &limits, &info);
	ck_assert_uint_eq(info.cores, row->cores);
	ck_assert_uint_eq(info.declared_cores, row->declared);
	ck_assert_uint_eq(info.operations, row->operations);
	ck_assert_ptr_null(info.name);
	/* Every core of the run has a cursor; idle ones end at once. */
	WlOp op;
	for (unsigned c = 0; c < info.cores; c++) {
		g_autoptr(WlCursor) cur = wl_cursor_new(wl, (int)c, NULL);
		unsigned n = 0;
		while (wl_cursor_next(cur, &op, NULL) == 1)
			n++;
		ck_assert_uint_eq(n, info.ops_per_core[c]);
	}
}
END_TEST

typedef struct {
	const char *text;
	gboolean lock, barrier, alloc;
} UsesRow;

static const UsesRow uses_rows[] = {
	{H "0 ld 0x10\n0 st 0x10\n0 rmw add 0x10 1\n0 compute 3\n", FALSE, FALSE, FALSE},
	{H "0 lock 0x10\n0 unlock 0x10\n", TRUE, FALSE, FALSE},
	{H "0 unlock 0x10\n", FALSE, FALSE, FALSE},
	{H "0 barrier\n", FALSE, TRUE, FALSE},
	{H "0 alloc r0 GFP_KERNEL\n", FALSE, FALSE, TRUE},
	{H "0 alloc r0 GFP_KERNEL\n0 lock_page r0\n", TRUE, FALSE, TRUE},
	{H "0 alloc r0 GFP_KERNEL\n0 free r0\n", FALSE, FALSE, TRUE},
	{H, FALSE, FALSE, FALSE},
};

START_TEST(test_uses)
{
	const UsesRow *row = &uses_rows[_i];
	g_autofree char *path = tu_write_temp(row->text, ".wl");
	WlInfo info;
	g_autoptr(WlFile) wl = validate_ok(path, &test_limits, &info);

	ck_assert_int_eq(!!info.uses_lock, row->lock);
	ck_assert_int_eq(!!info.uses_barrier, row->barrier);
	ck_assert_int_eq(!!info.uses_alloc, row->alloc);
}
END_TEST

/* Addresses at the edges of what is allowed, and limits of 0 (none). */
START_TEST(test_address_limits)
{
	g_autofree char *path = tu_write_temp(H "0 ld 0xefffffff8\n", ".wl");
	WlInfo info;
	GError *err = NULL;

	/* Within 64 GiB of memory with no allocator region: fine. */
	WlLimits limits = {.mem_size = UINT64_C(1) << 36};
	g_autoptr(WlFile) wl = validate_ok(path, &limits, &info);
	/* No limits at all: fine. */
	ck_assert(wl_validate(wl, NULL, &info, &err));
	/* The kernel region starts right after it: fine; one word lower: not. */
	limits.kernel_base = UINT64_C(0xf00000000);
	ck_assert(wl_validate(wl, &limits, &info, &err));
	limits.kernel_base = UINT64_C(0xefffffff8);
	ck_assert(!wl_validate(wl, &limits, &info, &err));
	ck_assert(g_str_has_suffix(err->message,
				   ":2: address 0xefffffff8 is in the kernel "
				   "allocator's region (0xefffffff8 and up): plain "
				   "addresses must be below it; its pages are reached "
				   "through a register that alloc filled"));
	g_clear_error(&err);
	/* The last word of memory, and the first word past it. */
	limits = (WlLimits){.mem_size = UINT64_C(0xf00000000)};
	ck_assert(wl_validate(wl, &limits, &info, &err));
	limits.mem_size = UINT64_C(0xefffffff8);
	ck_assert(!wl_validate(wl, &limits, &info, &err));
	ck_assert(g_str_has_suffix(err->message, ":2: expected an address below 0xefffffff8 (the "
						 "end of physical memory), found 0xefffffff8"));
	g_clear_error(&err);
	/* Register-relative addresses are checked only for alignment here. */
	g_autofree char *rpath =
		tu_write_temp(H "0 alloc r7 GFP_KERNEL 3\n0 st r7+0xffffff8 1\n", ".wl");
	g_autoptr(WlFile) rwl = validate_ok(rpath, &test_limits, &info);
	WlOp ops[2];
	ck_assert_uint_eq(read_cursor(rwl, 0, ops, 2), 2);
	assert_op_eq(&ops[1], &(WlOp){.line = 3,
				      .kind = WL_OP_ST,
				      .reg = 7,
				      .addr = 0xffffff8,
				      .value = 1,
				      .has_value = 1});
}
END_TEST

/* ------------------------------------------------------------------------
 * Cursors.
 */

/* All of core 0, then all of core 2: per-core cursors of an uncompressed
 * file seek to their first line and stop after their last. */
static const char layout_text[] = H /* 1 */
	"%cores 3\n"		    /* 2 */
	"# core 0\n"		    /* 3 */
	"0 ld 0x1000\n"		    /* 4 */
	"0 st 0x1008 1\n"	    /* 5 */
	"\n"			    /* 6 */
	"# core 2\n"		    /* 7 */
	"2 ld 0x2000\n"		    /* 8 */
	"2 compute 5\n"		    /* 9 */
	"# core 1 is idle\n";	    /* 10 */

/* clang-format off */
static const WlOp layout_ops[] = {
	{.line = 4, .core = 0, .kind = WL_OP_LD, .reg = NR, .addr = 0x1000},
	{.line = 5, .core = 0, .kind = WL_OP_ST, .reg = NR, .addr = 0x1008, .value = 1, .has_value = 1},
	{.line = 8, .core = 2, .kind = WL_OP_LD, .reg = NR, .addr = 0x2000},
	{.line = 9, .core = 2, .kind = WL_OP_COMPUTE, .reg = NR, .value = 5},
};
/* clang-format on */

static void check_layout(WlFile *wl)
{
	WlOp ops[8];

	ck_assert_uint_eq(read_cursor(wl, 0, ops, 8), 2);
	assert_op_eq(&ops[0], &layout_ops[0]);
	assert_op_eq(&ops[1], &layout_ops[1]);
	ck_assert_uint_eq(read_cursor(wl, 1, ops, 8), 0);
	ck_assert_uint_eq(read_cursor(wl, 2, ops, 8), 2);
	assert_op_eq(&ops[0], &layout_ops[2]);
	assert_op_eq(&ops[1], &layout_ops[3]);
	ck_assert_uint_eq(read_cursor(wl, -1, ops, 8), 4);
	for (int i = 0; i < 4; i++)
		assert_op_eq(&ops[i], &layout_ops[i]);
}

START_TEST(test_cursor_layout)
{
	g_autofree char *path = tu_write_temp(layout_text, ".wl");
	WlInfo info;
	g_autoptr(WlFile) wl = validate_ok(path, &test_limits, &info);

	check_layout(wl);
}
END_TEST

START_TEST(test_cursor_layout_gz)
{
	g_autofree char *path = tu_write_temp_gz(layout_text, ".wl.gz");
	WlInfo info;
	g_autoptr(WlFile) wl = validate_ok(path, &test_limits, &info);

	check_layout(wl);
}
END_TEST

/* Proof that core 2's cursor seeks: turn line 4 into a core 2 line of the
 * same length, keeping size and mtime.  A cursor that read from the start
 * would now return it; core 2's cursor starts at line 8 as validation
 * found, so it returns lines 8 and 9 only.  (The all-cores cursor starts
 * at line 4 and does see the change.) */
START_TEST(test_cursor_seeks)
{
	g_autofree char *path = tu_write_temp(layout_text, ".wl");
	WlInfo info;
	g_autoptr(WlFile) wl = validate_ok(path, &test_limits, &info);
	struct stat st;
	GError *err = NULL;

	ck_assert_int_eq(stat(path, &st), 0);
	g_autofree char *changed = g_strdup(layout_text);
	strstr(changed, "0 ld 0x1000")[0] = '2';
	ck_assert(g_file_set_contents(path, changed, -1, &err));
	struct timespec times[2] = {st.st_atim, st.st_mtim};
	ck_assert_int_eq(utimensat(AT_FDCWD, path, times, 0), 0);

	WlOp ops[8];
	ck_assert_uint_eq(read_cursor(wl, 2, ops, 8), 2);
	assert_op_eq(&ops[0], &layout_ops[2]);
	assert_op_eq(&ops[1], &layout_ops[3]);
	ck_assert_uint_eq(read_cursor(wl, -1, ops, 8), 4);
	assert_op_eq(&ops[0],
		     &(WlOp){.line = 4, .core = 2, .kind = WL_OP_LD, .addr = 0x1000, .reg = NR});
}
END_TEST

/* A file rewritten after validation is refused, not read at stale offsets. */
START_TEST(test_cursor_file_changed)
{
	g_autofree char *path = tu_write_temp(layout_text, ".wl");
	WlInfo info;
	g_autoptr(WlFile) wl = validate_ok(path, &test_limits, &info);
	GError *err = NULL;

	ck_assert(g_file_set_contents(path, H "0 ld 0x1000\n", -1, &err));
	ck_assert_ptr_null(wl_cursor_new(wl, 0, &err));
	g_autofree char *want =
		g_strconcat(path, ": the file changed after it was validated", NULL);
	ck_assert_str_eq(err->message, want);
	ck_assert(g_error_matches(err, WL_ERROR, WL_ERROR_OPEN));
	g_error_free(err);
}
END_TEST

/* Several MiB, so lines cross the 1 MiB blocks of validation and the
 * 64 KiB blocks the per-core cursors of a 1024-core run use; one comment
 * line of 200 KiB makes those buffers grow.  Line L holds an access to
 * L * 8 by core (L / 5) % 3, so every op shows whether its line number and
 * fields survived the boundaries. */
START_TEST(test_cursor_blocks)
{
	enum { LINES = 300000, FIRST = 3 };
	GString *text = g_string_new(H "%cores 1024\n");
	uint64_t per_core[3] = {0};

	for (unsigned line = FIRST; line < FIRST + LINES; line++) {
		unsigned core = (line / 5) % 3;
		if (line % 97 == 0) {
			g_string_append_c(text, '#');
			for (unsigned k = 0; k < line % 61; k++)
				g_string_append_c(text, 'x');
		} else if (line == FIRST + LINES / 2) {
			g_string_append(text, "  # long:");
			for (unsigned k = 0; k < 200 * 1024; k++)
				g_string_append_c(text, 'y');
		} else if (line % 3 == 0) {
			g_string_append_printf(text, "%u st 0x%x %u", core, line * 8, line);
			per_core[core]++;
		} else {
			g_string_append_printf(text, "%u ld %u", core, line * 8);
			per_core[core]++;
		}
		g_string_append_c(text, '\n');
	}
	g_autofree char *path = tu_write_temp(text->str, ".wl");
	g_string_free(text, TRUE);

	WlInfo info;
	g_autoptr(WlFile) wl = validate_ok(path, &test_limits, &info);
	ck_assert_uint_eq(info.cores, 1024);
	for (int c = -1; c < 3; c++) {
		GError *err = NULL;
		g_autoptr(WlCursor) cur = wl_cursor_new(wl, c, &err);
		uint64_t n = 0, last = 0;
		WlOp op;
		int r;
		while ((r = wl_cursor_next(cur, &op, &err)) == 1) {
			ck_assert_uint_gt(op.line, last);
			last = op.line;
			ck_assert_uint_eq(op.addr, (uint64_t)op.line * 8);
			ck_assert_uint_eq(op.core, (op.line / 5) % 3);
			ck_assert(c < 0 || op.core == c);
			ck_assert_uint_eq(op.kind, op.line % 3 == 0 ? WL_OP_ST : WL_OP_LD);
			ck_assert_uint_eq(op.value, op.line % 3 == 0 ? op.line : 0);
			n++;
		}
		ck_assert_msg(r == 0, "%s", err ? err->message : "?");
		ck_assert_uint_eq(n, c < 0 ? info.operations : per_core[c]);
		if (c >= 0)
			ck_assert_uint_eq(n, info.ops_per_core[c]);
	}
	ck_assert_uint_eq(info.operations, per_core[0] + per_core[1] + per_core[2]);
}
END_TEST

/* ------------------------------------------------------------------------
 * Files that cannot be read.
 */
START_TEST(test_open_errors)
{
	GError *err = NULL;

	ck_assert_ptr_null(wl_open("/nonexistent/w.wl", &err));
	ck_assert(g_error_matches(err, WL_ERROR, WL_ERROR_OPEN));
	ck_assert_str_eq(err->message, "/nonexistent/w.wl: cannot open: No such file or directory");
	g_clear_error(&err);

	/* Validation and cursors read it again: a directory or a pipe will
	 * not do, and a FIFO must be refused, not waited on. */
	ck_assert_ptr_null(wl_open("/", &err));
	ck_assert(g_error_matches(err, WL_ERROR, WL_ERROR_OPEN));
	ck_assert_str_eq(err->message,
			 "/: cannot open: not a regular file (a workload is read more than once)");
	g_clear_error(&err);
	g_autofree char *dir = g_dir_make_tmp("labyrinth-test-XXXXXX", &err);
	ck_assert_ptr_nonnull(dir);
	g_autofree char *fifo = g_build_filename(dir, "w.wl", NULL);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	WlFile *fwl = wl_open(fifo, &err);
	unlink(fifo);
	rmdir(dir);
	ck_assert_ptr_null(fwl);
	g_autofree char *fifo_msg = g_strconcat(
		fifo, ": cannot open: not a regular file (a workload is read more than once)",
		NULL);
	ck_assert_str_eq(err->message, fifo_msg);
	g_clear_error(&err);

	/* Opened, then gone before validation. */
	g_autofree char *path = tu_write_temp(H, ".wl");
	g_autoptr(WlFile) wl = wl_open(path, &err);
	ck_assert_ptr_nonnull(wl);
	ck_assert_int_eq(unlink(path), 0);
	WlInfo info;
	ck_assert(!wl_validate(wl, &test_limits, &info, &err));
	ck_assert(g_error_matches(err, WL_ERROR, WL_ERROR_OPEN));
	g_autofree char *want = g_strconcat(path, ": cannot open: No such file or directory", NULL);
	ck_assert_str_eq(err->message, want);
	g_clear_error(&err);
}
END_TEST

/* A .gz that is not gzip, one cut short, and one with junk after its end. */
START_TEST(test_corrupt_gz)
{
	g_autofree char *good = tu_write_temp_gz(layout_text, ".wl.gz");
	g_autofree char *data = NULL;
	gsize len;
	GError *err = NULL;

	ck_assert(g_file_get_contents(good, &data, &len, &err));
	g_autofree char *plain = tu_write_temp(layout_text, ".wl.gz");
	g_autofree char *cut = tu_write_temp("", ".wl.gz");
	ck_assert(g_file_set_contents(cut, data, (gssize)(len - 9), &err));
	g_autofree char *junk = tu_write_temp("", ".wl.gz");
	g_autofree char *with_junk = g_malloc(len + 5);
	memcpy(with_junk, data, len);
	memcpy(with_junk + len, "junk\n", 5);
	ck_assert(g_file_set_contents(junk, with_junk, (gssize)(len + 5), &err));

	const char *paths[] = {plain, cut, junk};
	for (guint i = 0; i < G_N_ELEMENTS(paths); i++) {
		WlInfo info;
		g_autoptr(WlFile) wl = wl_open(paths[i], &err);
		ck_assert_ptr_nonnull(wl);
		ck_assert(!wl_validate(wl, &test_limits, &info, &err));
		ck_assert(g_error_matches(err, WL_ERROR, WL_ERROR_OPEN));
		g_autofree char *want = g_strconcat(paths[i], ": cannot read: ", NULL);
		ck_assert_msg(g_str_has_prefix(err->message, want), "%s", err->message);
		g_clear_error(&err);
	}
}
END_TEST

/* A line is a line however long, up to a limit that keeps memory bounded. */
START_TEST(test_long_lines)
{
	GString *text = g_string_new(H "%name ");
	for (unsigned i = 0; i < (3u << 20); i++)
		g_string_append_c(text, 'a' + i % 26);
	g_string_append(text, "\n0 ld 0x1000\n#");
	g_autofree char *ok_path = tu_write_temp(text->str, ".wl");
	WlInfo info;
	g_autoptr(WlFile) wl = validate_ok(ok_path, &test_limits, &info);
	ck_assert_uint_eq(strlen(info.name), 3u << 20);
	ck_assert_uint_eq(info.operations, 1);
	WlOp op;
	ck_assert_uint_eq(read_cursor(wl, 0, &op, 1), 1);
	ck_assert_uint_eq(op.line, 3);
	wl_info_clear(&info);

	g_string_truncate(text, strlen(H));
	g_string_append(text, "# ");
	for (unsigned i = 0; i < (16u << 20); i++)
		g_string_append_c(text, 'z');
	g_autofree char *long_path = tu_write_temp(text->str, ".wl");
	g_string_free(text, TRUE);
	GError *err = NULL;
	g_autoptr(WlFile) lwl = wl_open(long_path, &err);
	ck_assert(!wl_validate(lwl, &test_limits, &info, &err));
	g_autofree char *want = g_strconcat(long_path, ":2: line longer than 16 MiB", NULL);
	ck_assert_str_eq(err->message, want);
	g_error_free(err);
}
END_TEST

START_TEST(test_op_names)
{
	static const char *const names[WL_N_OPS] = {
		"ld",	   "st",    "rmw",  "compute",	 "lock",	"unlock",
		"barrier", "alloc", "free", "lock_page", "unlock_page",
	};
	for (int k = 0; k < WL_N_OPS; k++)
		ck_assert_str_eq(wl_op_name((WlOpKind)k), names[k]);
}
END_TEST

/* ------------------------------------------------------------------------
 * Large files, validated in two halves by two threads: the same WlInfo,
 * spans and first error as one sequential pass, wherever the file splits.
 */
#define BIG_SIZE (20u << 20)

/* A generated workload of BIG_SIZE bytes and where each line starts. */
typedef struct {
	GString *text;
	GArray *starts; /* gsize, by line number - 1 */
} Big;

static void G_GNUC_PRINTF(2, 3) big_line(Big *b, const char *fmt, ...)
{
	va_list ap;
	gsize at = b->text->len;

	g_array_append_val(b->starts, at);
	va_start(ap, fmt);
	g_string_append_vprintf(b->text, fmt, ap);
	va_end(ap);
	g_string_append_c(b->text, '\n');
}

/* Cores 0 and 1 throughout, core 2 in the first 8 MiB only, core 3 after
 * 12 MiB only; r1 of each core allocated once at its start and used all
 * along; r5 of core 0 allocated and freed over and over.  With comments,
 * blank lines and every kind of operation. */
static void big_init(Big *b, gboolean comments_first)
{
	b->text = g_string_sized_new(BIG_SIZE + 4096);
	b->starts = g_array_new(FALSE, FALSE, sizeof(gsize));
	big_line(b, "%%labyrinth-workload 1");
	big_line(b, "%%name big one");
	big_line(b, "%%cores 4");
	/* A first half with no operation in it. */
	for (unsigned i = 0; comments_first && b->text->len < BIG_SIZE / 2 + 4096; i++)
		big_line(b, "# nothing yet %u", i);
	for (unsigned c = 0; c < 3; c++)
		big_line(b, "%u alloc r1 GFP_KERNEL", c);
	gboolean core3 = FALSE;
	for (unsigned i = 0; b->text->len < BIG_SIZE; i++) {
		unsigned c = i % 2;
		if (b->text->len < (8u << 20))
			c = i % 3;
		else if (b->text->len > (12u << 20)) {
			if (!core3) {
				big_line(b, "3 alloc r1 GFP_KERNEL|__GFP_ZERO 2");
				core3 = TRUE;
			}
			c = i % 3 == 2 ? 3 : i % 3;
		}
		unsigned addr = (i % 65536) * 8 + 0x10000;
		if (i % 1000 == 10)
			big_line(b, "0 alloc r5 GFP_KERNEL");
		else if (i % 1000 == 500)
			big_line(b, "0 free r5");
		else if (i % 1000 > 10 && i % 1000 < 500 && i % 17 == 0)
			big_line(b, "0 st r5+8 %u", i);
		else if (i % 97 == 0)
			big_line(b, "# comment %u", i);
		else if (i % 101 == 0)
			big_line(b, "%s", "");
		else if (i % 13 == 0)
			big_line(b, "%u ld r1+0x%x", c, (i % 512) * 8);
		else if (i % 5003 == 0)
			big_line(b, "%u compute %u", c, i % 7);
		else if (i % 7919 == 0) {
			big_line(b, "%u lock_page r1", c);
			big_line(b, "%u unlock_page r1", c);
		} else if (i % 10007 == 0)
			big_line(b, "%u barrier", c);
		else if (i % 9973 == 0)
			big_line(b, "%u rmw add 0x%x 1", c, addr);
		else if (i % 3 == 0)
			big_line(b, "%u st 0x%x %u", c, addr, i);
		else
			big_line(b, "%u ld 0x%x", c, addr);
	}
}

static void big_clear(Big *b)
{
	g_string_free(b->text, TRUE);
	g_array_free(b->starts, TRUE);
}

static gsize big_len(const Big *b, unsigned line)
{
	gsize s = g_array_index(b->starts, gsize, line - 1);
	gsize e = line < b->starts->len ? g_array_index(b->starts, gsize, line)
					: b->text->len;
	return e - s - 1;
}

/* The line the second half starts with: the one after the first '\n' at or
 * after the middle (the reader's rule). */
static unsigned big_split_line(const Big *b)
{
	gsize mid = b->text->len / 2;
	unsigned n = 1;

	while (g_array_index(b->starts, gsize, n - 1) <= mid)
		n++;
	return n;
}

/* A copy of the text with the first line at or after *line that is long
 * enough replaced by s, padded with blanks to keep every offset (and so
 * the split) where it was; *line is set to the line replaced. */
static char *big_with(const Big *b, unsigned *line, const char *s)
{
	while (big_len(b, *line) < strlen(s))
		(*line)++;
	char *t = g_memdup2(b->text->str, b->text->len + 1);
	char *p = t + g_array_index(b->starts, gsize, *line - 1);
	memset(p, ' ', big_len(b, *line));
	memcpy(p, s, strlen(s));
	return t;
}

static gboolean validate_path(const char *path, gboolean sequential, const WlLimits *limits,
			      WlFile **wl, WlInfo *info, GError **error)
{
	if (sequential)
		g_setenv("LABYRINTH_SEQUENTIAL_VALIDATE", "1", TRUE);
	else
		g_unsetenv("LABYRINTH_SEQUENTIAL_VALIDATE");
	*wl = wl_open(path, error);
	ck_assert(*wl);
	gboolean ok = wl_validate(*wl, limits, info, error);
	g_unsetenv("LABYRINTH_SEQUENTIAL_VALIDATE");
	return ok;
}

/* What a cursor sees: operations, the first's line and address, the last's
 * line.  Shows that the spans of both passes agree. */
static void cursor_summary(WlFile *wl, int core, uint64_t out[4])
{
	GError *err = NULL;
	g_autoptr(WlCursor) cur = wl_cursor_new(wl, core, &err);
	WlOp op;
	int r;

	ck_assert_msg(cur, "%s", err ? err->message : "?");
	memset(out, 0, 4 * sizeof(*out));
	while ((r = wl_cursor_next(cur, &op, &err)) == 1) {
		if (!out[0]++) {
			out[1] = op.line;
			out[2] = op.addr;
		}
		out[3] = op.line;
	}
	ck_assert_msg(r == 0, "%s", err ? err->message : "?");
}

/* Validates text both ways; they must agree on everything.  Returns the
 * error message (g_free it), or NULL when the file is valid. */
static char *both_ways(const char *text, const WlLimits *limits, gboolean cursors)
{
	g_autofree char *path = tu_write_temp(text, ".wl");
	g_autoptr(WlFile) pw = NULL;
	g_autoptr(WlFile) sw = NULL;
	g_autoptr(GError) perr = NULL;
	g_autoptr(GError) serr = NULL;
	WlInfo pi, si;

	gboolean pok = validate_path(path, FALSE, limits, &pw, &pi, &perr);
	gboolean sok = validate_path(path, TRUE, limits, &sw, &si, &serr);
	ck_assert_msg(pok == sok, "split: %s; sequential: %s", perr ? perr->message : "ok",
		      serr ? serr->message : "ok");
	if (!sok) {
		ck_assert_str_eq(perr->message, serr->message);
		ck_assert_int_eq(perr->code, serr->code);
		char *shown = g_strdup(serr->message + strlen(path));
		return shown;
	}
	ck_assert_str_eq(pi.name ? pi.name : "(none)", si.name ? si.name : "(none)");
	ck_assert_uint_eq(pi.cores, si.cores);
	ck_assert_uint_eq(pi.declared_cores, si.declared_cores);
	ck_assert_uint_eq(pi.operations, si.operations);
	ck_assert(!memcmp(pi.ops_per_core, si.ops_per_core, sizeof(pi.ops_per_core)));
	ck_assert(!memcmp(pi.ops_of_kind, si.ops_of_kind, sizeof(pi.ops_of_kind)));
	ck_assert_int_eq(pi.uses_lock, si.uses_lock);
	ck_assert_int_eq(pi.uses_barrier, si.uses_barrier);
	ck_assert_int_eq(pi.uses_alloc, si.uses_alloc);
	for (int c = -1; cursors && c < (int)si.cores; c++) {
		uint64_t ps[4], ss[4];
		cursor_summary(pw, c, ps);
		cursor_summary(sw, c, ss);
		ck_assert_msg(!memcmp(ps, ss, sizeof(ps)), "core %d: %lu ops from line %lu",
			      c, (unsigned long)ps[0], (unsigned long)ps[1]);
	}
	wl_info_clear(&pi);
	wl_info_clear(&si);
	return NULL;
}

START_TEST(test_split_valid)
{
	Big b;

	big_init(&b, FALSE);
	ck_assert_ptr_null(both_ways(b.text->str, &test_limits, TRUE));
	/* --cores instead of %cores. */
	WlLimits four = test_limits;
	four.cores = 4;
	ck_assert_ptr_null(both_ways(b.text->str, &four, FALSE));
	/* A first line of the second half that uses r1, allocated only in
	 * the first half. */
	unsigned n = big_split_line(&b);
	g_autofree char *t = big_with(&b, &n, "1 ld r1+8");
	ck_assert_ptr_null(both_ways(t, &test_limits, FALSE));
	big_clear(&b);
}
END_TEST

START_TEST(test_split_no_ops_first)
{
	Big b;

	big_init(&b, TRUE);
	ck_assert_ptr_null(both_ways(b.text->str, &test_limits, TRUE));
	/* %name after the split, but before any operation: legal. */
	unsigned n = big_split_line(&b) + 1, name = 2;
	g_autofree char *t = big_with(&b, &n, "%name late");
	g_autofree char *dup = both_ways(t, &test_limits, FALSE);
	g_autofree char *want = g_strdup_printf(":%u: duplicate %%name (the first is on line 2)",
						n);
	ck_assert_str_eq(dup, want);
	Big b2 = {.text = g_string_new(t), .starts = b.starts};
	g_autofree char *t2 = big_with(&b2, &name, "# no name");
	g_string_free(b2.text, TRUE);
	ck_assert_uint_eq(name, 2);
	ck_assert_ptr_null(both_ways(t2, &test_limits, TRUE));
	big_clear(&b);
}
END_TEST

/* Where an error goes, as a fraction of the file or next to the split. */
typedef struct {
	int at;	      /* > 0: per mille of the lines; <= 0: the split line + at */
	const char *line;
	const char *want; /* the message after "PATH:LINE: ", or NULL */
} SplitRow;

static const SplitRow split_rows[] = {
	{100, "0 ld 0x1001", "expected an 8-byte aligned address, found 0x1001"},
	{0, "0 ld 0x1001", NULL},
	{-1, "0 ld 0x1001", NULL},
	{-3, "1 frob 0x8", NULL},
	{1, "0 ld", NULL},
	{800, "1 st 0x8 x", NULL},
	{0, "7 ld 0x1000", "core 7 is out of range (the workload has 4 cores: 0..3)"},
	{750, "4 ld 0x1000", "core 4 is out of range (the workload has 4 cores: 0..3)"},
	{0, "%name x", NULL},
	{750, "%cores 4", "duplicate %cores (the first is on line 3)"},
	{700, "%bogus 1", NULL},
	{600, "2 free r9", "register r9 of core 2 holds no page: no earlier alloc into it"},
	{999, "3 ld r2", NULL},
	{700, "1 ld 0xf0000000", NULL},
	{2, "1 ld 0x100000000", NULL},
};

START_TEST(test_split_errors)
{
	const SplitRow *row = &split_rows[_i];
	Big b;

	big_init(&b, FALSE);
	unsigned n = row->at > 0 ? (unsigned)((uint64_t)b.starts->len * row->at / 1000)
				 : (unsigned)((int)big_split_line(&b) + row->at);
	g_autofree char *t = big_with(&b, &n, row->line);
	g_autofree char *msg = both_ways(t, &test_limits, FALSE);
	ck_assert_ptr_nonnull(msg);
	g_autofree char *where = g_strdup_printf(":%u: ", n);
	ck_assert_msg(g_str_has_prefix(msg, where), "%s at line %u", msg, n);
	if (row->want)
		ck_assert_str_eq(msg + strlen(where), row->want);
	big_clear(&b);
}
END_TEST

/* A register freed in the first half and used in the second; then the same
 * with a later error in the second half and an earlier one. */
START_TEST(test_split_freed)
{
	Big b;

	big_init(&b, FALSE);
	unsigned n = big_split_line(&b) - 1;
	while (big_len(&b, n) < 9)
		n--;
	g_autofree char *t = big_with(&b, &n, "1 free r1");
	g_autofree char *msg = both_ways(t, &test_limits, FALSE);
	ck_assert_ptr_nonnull(msg);
	g_autofree char *freed = g_strdup_printf("it was freed on line %u", n);
	ck_assert_msg(g_str_has_suffix(msg, freed), "%s", msg);
	ck_assert_uint_gt(strtoul(msg + 1, NULL, 10), big_split_line(&b) - 1);

	/* An error after the first unheld use does not take its place; one
	 * before it does. */
	unsigned late = b.starts->len - 10;
	char *p = t + g_array_index(b.starts, gsize, late - 1);
	ck_assert_uint_ge(big_len(&b, late), 4);
	memcpy(p, "0 x ", 4);
	g_autofree char *msg2 = both_ways(t, &test_limits, FALSE);
	ck_assert_str_eq(msg2, msg);
	unsigned used = (unsigned)strtoul(msg + 1, NULL, 10);
	unsigned early = big_split_line(&b);
	while (big_len(&b, early) < 4)
		early++;
	ck_assert_uint_le(early, used);
	p = t + g_array_index(b.starts, gsize, early - 1);
	memcpy(p, "9 x ", 4);
	g_autofree char *msg3 = both_ways(t, &test_limits, FALSE);
	g_autofree char *where = g_strdup_printf(":%u: core 9 is out of range", early);
	ck_assert_msg(g_str_has_prefix(msg3, where), "%s", msg3);
	big_clear(&b);
}
END_TEST

/* Two errors in the second half: the first by line wins whichever of them
 * the second half could judge alone. */
START_TEST(test_split_two_errors)
{
	Big b;

	big_init(&b, FALSE);
	unsigned a = (unsigned)((uint64_t)b.starts->len * 600 / 1000);
	unsigned c = (unsigned)((uint64_t)b.starts->len * 700 / 1000);
	for (int k = 0; k < 2; k++) {
		unsigned n1 = a, n2 = c;
		g_autofree char *t1 = big_with(&b, &n1, k ? "0 ld 0x1001" : "5 ld 0x8");
		Big b2 = {.text = g_string_new(t1), .starts = b.starts};
		g_autofree char *t2 = big_with(&b2, &n2, k ? "5 ld 0x8" : "0 ld 0x1001");
		g_string_free(b2.text, TRUE);
		g_autofree char *msg = both_ways(t2, &test_limits, FALSE);
		g_autofree char *where = g_strdup_printf(":%u: ", n1);
		ck_assert_msg(g_str_has_prefix(msg, where), "%s", msg);
	}
	big_clear(&b);
}
END_TEST

Suite *suite_workload(void)
{
	Suite *s = suite_create("workload");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_errors, 0, G_N_ELEMENTS(error_rows));
	tcase_add_test(tc, test_every_op);
	tcase_add_test(tc, test_every_op_gz);
	tcase_add_test(tc, test_gz_members);
	tcase_add_test(tc, test_fast_path_agrees);
	tcase_add_loop_test(tc, test_cores, 0, G_N_ELEMENTS(cores_rows));
	tcase_add_loop_test(tc, test_uses, 0, G_N_ELEMENTS(uses_rows));
	tcase_add_test(tc, test_address_limits);
	tcase_add_test(tc, test_open_errors);
	tcase_add_test(tc, test_corrupt_gz);
	tcase_add_test(tc, test_op_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("cursor");
	tcase_set_timeout(tc, 60); /* the big files, under valgrind */
	tcase_add_test(tc, test_cursor_layout);
	tcase_add_test(tc, test_cursor_layout_gz);
	tcase_add_test(tc, test_cursor_seeks);
	tcase_add_test(tc, test_cursor_file_changed);
	tcase_add_test(tc, test_cursor_blocks);
	tcase_add_test(tc, test_long_lines);
	suite_add_tcase(s, tc);

	tc = tcase_create("split");
	tcase_set_timeout(tc, 120); /* 20 MiB files, under valgrind or ASan */
	tcase_add_test(tc, test_split_valid);
	tcase_add_test(tc, test_split_no_ops_first);
	tcase_add_loop_test(tc, test_split_errors, 0, G_N_ELEMENTS(split_rows));
	tcase_add_test(tc, test_split_freed);
	tcase_add_test(tc, test_split_two_errors);
	suite_add_tcase(s, tc);
	return s;
}
