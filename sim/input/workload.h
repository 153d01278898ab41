/* workload.h - reading workload files (shared/spec/workload-format.md).
 *
 * A workload is read twice.  wl_validate() makes one pass over the whole
 * file, checks every line and gathers what the simulator needs to know up
 * front (core count, which operations occur); nothing is simulated from a
 * file that fails it.  The simulation then streams operations through
 * cursors: one cursor over the whole file for --schedule file, or one
 * cursor per core for the rounds schedule, each keeping its own read
 * position so that a file holding all of core 0 and then all of core 1 is
 * never buffered.  Memory use does not grow with the number of operations.
 *
 * Files ending in ".gz" are decompressed through GIO.
 */
#ifndef LABYRINTH_WORKLOAD_H
#define LABYRINTH_WORKLOAD_H

#include <glib.h>
#include <stdint.h>

#define WL_MAX_CORES 1024
#define WL_N_REGS 16
#define WL_MAX_ORDER 10
#define WL_NO_REG 0xff
/* compute N: at most 2^32 cycles on one line, 2^48 for one core's lines
 * together, so that no cycle counter comes near 2^63 (docs/cli.md's
 * limits: the statistics' JSON integers are signed 64-bit in json-glib). */
#define WL_MAX_COMPUTE (UINT64_C(1) << 32)
#define WL_MAX_CORE_COMPUTE (UINT64_C(1) << 48)

typedef enum {
	WL_OP_LD,
	WL_OP_ST,
	WL_OP_RMW,
	WL_OP_COMPUTE,
	WL_OP_LOCK,
	WL_OP_UNLOCK,
	WL_OP_BARRIER,
	WL_OP_ALLOC,
	WL_OP_FREE,
	WL_OP_LOCK_PAGE,
	WL_OP_UNLOCK_PAGE,
	WL_N_OPS
} WlOpKind;

typedef enum { WL_RMW_ADD, WL_RMW_XCHG, WL_RMW_CAS } WlRmwKind;

/* gfp flags of alloc, as Linux spells them. */
enum {
	WL_GFP_ATOMIC = 1 << 0,
	WL_GFP_NOWAIT = 1 << 1,
	WL_GFP_KERNEL = 1 << 2,
	WL_GFP_ZERO = 1 << 3,   /* __GFP_ZERO */
	WL_GFP_HIGH = 1 << 4,   /* __GFP_HIGH */
	WL_GFP_NOWARN = 1 << 5, /* __GFP_NOWARN */
};

/* One operation, as parsed.  48 bytes; filled in place, never allocated. */
typedef struct {
	uint64_t addr;   /* ld/st/rmw/lock/unlock: address, or offset when reg != WL_NO_REG */
	uint64_t value;  /* st (if has_value), rmw operand (add, xchg; cas: expected), compute cycles */
	uint64_t value2; /* rmw cas: the new value */
	uint64_t expect; /* ld: the expected value when has_expect */
	uint32_t line;   /* 1-based line number in the (decompressed) file */
	uint16_t core;
	uint8_t kind;      /* WlOpKind */
	uint8_t rmw;       /* WlRmwKind */
	uint8_t reg;       /* address register (r0..r15), or alloc/free/lock_page target; WL_NO_REG */
	uint8_t has_value; /* st with an explicit value */
	uint8_t has_expect;/* ld with =V */
	uint8_t order;     /* alloc order, 0..10 */
	uint32_t gfp;      /* alloc: WL_GFP_* */
} WlOp;

/* What the caller allows; the reader rejects lines outside it. */
typedef struct {
	unsigned cores;        /* --cores, or 0 to take %cores or the highest id + 1 */
	uint64_t mem_size;     /* physical memory size in bytes; addresses must be below */
	uint64_t kernel_base;  /* plain addresses at or above this are the allocator's: an error */
} WlLimits;

/* What one validating pass learned. */
typedef struct {
	char *name;            /* %name, or NULL */
	unsigned cores;        /* the number of cores the run has */
	unsigned declared_cores; /* %cores, or 0 */
	uint64_t operations;   /* operation lines in the whole file */
	uint64_t ops_per_core[WL_MAX_CORES];
	uint64_t ops_of_kind[WL_N_OPS];
	gboolean uses_lock;    /* lock or lock_page */
	gboolean uses_barrier;
	gboolean uses_alloc;   /* alloc, free, lock_page, unlock_page or a register address */
} WlInfo;

typedef struct WlFile WlFile;
typedef struct WlCursor WlCursor;

#define WL_ERROR (wl_error_quark())
GQuark wl_error_quark(void);
typedef enum {
	WL_ERROR_OPEN,  /* the file cannot be read */
	WL_ERROR_PARSE, /* a malformed line: "FILE:LINE: expected ..., found ..." */
} WlError;

WlFile *wl_open(const char *path, GError **error);
void wl_free(WlFile *wl);
const char *wl_path(const WlFile *wl);

/* Reads the whole file once; fills info; FALSE with the first error.
 * Errors read "PATH:LINE: message" (e.g. "x.wl:7: expected an 8-byte aligned
 * address, found 0x1001").  Large uncompressed files are read in two halves
 * by two threads, with the same results (LABYRINTH_SEQUENTIAL_VALIDATE=1 in
 * the environment turns that off); a file with an error is read again in
 * one pass to report it. */
gboolean wl_validate(WlFile *wl, const WlLimits *limits, WlInfo *info, GError **error);
void wl_info_clear(WlInfo *info);

/* A cursor over the operations of one core (core >= 0), or of all cores in
 * file order (core = -1).  Call only after wl_validate() succeeded. */
WlCursor *wl_cursor_new(WlFile *wl, int core, GError **error);
/* 1: *op is the next operation; 0: end of stream; -1: I/O error in *error. */
int wl_cursor_next(WlCursor *cur, WlOp *op, GError **error);
void wl_cursor_free(WlCursor *cur);

const char *wl_op_name(WlOpKind kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(WlFile, wl_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(WlCursor, wl_cursor_free)

#endif
