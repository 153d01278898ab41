/* wl_priv.h - what the workload reader's files share (workload.h is the
 * public side).  The reader is split by job:
 *
 *   wl_gzip.c      a GConverter for multi-member gzip files
 *   wl_open.c      files and streams: WlFile, opening, seeking, stamps
 *   wl_scan.c      the block scanner: a stream read in large blocks into
 *                  one buffer of whole lines, and its error messages
 *   wl_lex.h       the lexer and the parser's fast path, inline: they run
 *                  for every line, in validation and in every cursor
 *   wl_parse.c     the rest of the parser: every operation, every message
 *   wl_validate.c  the validating pass, its two-thread split, WlInfo
 *   wl_cursor.c    cursors streaming the operations of one core or all
 *
 * This is the simulator's hottest loop: a functional run does little more
 * per operation than parse it.  So the file is read in large blocks into
 * one buffer and lines are parsed in place, with no allocation per line and
 * no sscanf/strtoull: a line like "0 ld 0x1a2b3c40" costs a few table
 * lookups per byte.  Every complete line in the buffer ends in '\n' (an
 * unterminated last line gets one appended), so the parser stops at that
 * '\n' without checking bounds.  A line cut by the end of a block is moved
 * to the front of the buffer before the next read.  Nothing that runs once
 * per line crosses from one file to another: what the per-line path needs
 * is static inline in wl_lex.h; calls between the files happen once per
 * block, per file, or on an error.
 *
 * One parser, parse_op(), turns a line into a WlOp for both the validating
 * pass and the cursors, so they cannot disagree.
 *
 * Memory is bounded: the buffer (it grows only to hold a line longer than
 * a block, up to WL_MAX_LINE), and per-core tables of fixed size.
 */
#ifndef LABYRINTH_WL_PRIV_H
#define LABYRINTH_WL_PRIV_H

#include <gio/gio.h>
#include <string.h>

#include "workload.h"

/* The sizes below may be overridden at compile time: `make fuzz` builds a
 * reader with blocks of a few dozen bytes, so that small inputs cross
 * block boundaries (fuzz/fuzz_workload.c). */
#ifndef WL_BLOCK
/* Bytes read per block.  1 MiB makes a read() cost nothing per line; far
 * larger only spends cache. */
#define WL_BLOCK (1u << 20)
/* Per-core cursors share WL_CURSOR_BUDGET between them, but never go below
 * WL_MIN_BLOCK each: 1024 cores must not take a GiB of buffers. */
#define WL_CURSOR_BUDGET (16u << 20)
#define WL_MIN_BLOCK	 (64u << 10)
/* A longer line is an error rather than a reason to buffer without bound
 * (a .gz without newlines could otherwise inflate into memory). */
#define WL_MAX_LINE (16u << 20)
#endif
/* Spare bytes after the buffer, so 8-byte loads near its end stay in it. */
#define WL_PAD 16
/* Error messages show at most this many bytes of a token. */
#define WL_SHOW_MAX 40

/* ------------------------------------------------------------------------
 * Files and streams (wl_open.c, wl_gzip.c).
 */

/* What identifies the file's contents between validation and the cursors:
 * a cursor that seeks to an offset recorded by validation must not land
 * in a file that has changed since. */
typedef struct {
	uint64_t size;
	uint64_t mtime_us;
} FileStamp;

/* Where one core's operations lie in the file (or all cores', for the
 * all-cores cursor).  first_line == 0: the core has no operation. */
typedef struct {
	uint64_t first_off;  /* byte offset of the first operation's line */
	uint64_t first_line; /* its line number */
	uint64_t last_line;  /* line number of the last operation */
} Span;

struct WlFile {
	char *path;
	gboolean gz;	    /* path ends in ".gz": decompress, never seek */
	gboolean validated; /* the fields below are from a successful wl_validate() */
	unsigned cores;	    /* the run's core count */
	FileStamp stamp;
	Span all;
	Span span[WL_MAX_CORES];
};

/* Two stamps of the same file say it did not change in between. */
static inline gboolean wl_stamp_same(const FileStamp *a, const FileStamp *b)
{
	return a->size == b->size && a->mtime_us == b->mtime_us;
}

/* The reason in a GIO error, without GIO's restatement of the path. */
const char *wl_io_reason(const GError *err);
/* Opens path for reading from byte offset (0 for .gz, which cannot seek),
 * decompressing .gz; fills *stamp.  Refuses anything but a regular file. */
GInputStream *wl_open_stream(const char *path, gboolean gz, uint64_t offset, FileStamp *stamp,
			     GError **error);
/* A converter that decompresses every member of a gzip file. */
GConverter *wl_gunzip_new(void);

/* ------------------------------------------------------------------------
 * The scanner (wl_scan.c): a stream, its buffer, and the line being parsed.
 */
typedef struct {
	GInputStream *in;
	const char *path; /* for messages; owned by the WlFile or cursor */
	char *buf;	  /* cap + 1 + WL_PAD bytes: the 1 for a '\n' after an unterminated
			   * last line */
	size_t cap;
	const char *pos;       /* the next line to parse */
	const char *lim;       /* one past the last '\n' in the buffer: [pos, lim) is whole lines */
	const char *end;       /* one past the last byte read */
	uint64_t base;	       /* offset in the (decompressed) file of buf[0] */
	uint64_t line;	       /* the number of the line at pos, 1-based */
	unsigned core_limit;   /* core ids must be below this */
	gboolean core_counted; /* core_limit is the workload's core count, not WL_MAX_CORES */
	gboolean eof;
	uint64_t stop; /* the file ends here for this scanner (one half of a split) */
} Scanner;

/* A scanner over in, which it takes: blocks of cap bytes, in's first byte
 * at file offset base and on line number line. */
void wl_scanner_init(Scanner *sc, GInputStream *in, const char *path, size_t cap, uint64_t base,
		     uint64_t line);
void wl_scanner_clear(Scanner *sc);
/* Called when [pos, lim) is used up: keeps the partial line at the end of
 * the buffer, reads the next block behind it.  1: [pos, lim) holds at least
 * one whole line; 0: end of file; -1: error. */
int wl_scanner_fill(Scanner *sc, GError **error);
/* "PATH:LINE: message" for the scanner's current line. */
void wl_parse_error(const Scanner *sc, GError **error, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* ------------------------------------------------------------------------
 * The parser's out-of-line parts (wl_parse.c); the inline ones are in
 * wl_lex.h.
 */

/* The token at p as a message shows it (g_free() it). */
char *wl_show_token(const char *p);
/* Whether a long number [s, e) overflows 64 bits (scan_number()'s recheck). */
int wl_number_overflows(const char *s, const char *e, gboolean hex);
/* The message for a token that should have been a number; returns NULL. */
const char *wl_number_error(const Scanner *sc, const char *tok, int status, const char *what,
			    GError **error);
/* Parses any operation line, with every check and message: see parse_op(). */
const char *wl_parse_op_general(const Scanner *sc, const char *p, WlOp *op, const char **addr_tok,
				GError **error);

#endif
