/* convert.h - importers: traces that other tools write, turned into native
 * workloads (shared/spec/workload-format.md) through a GenWriter.
 *
 *   din     Dinero IV: "LABEL ADDR ..." with LABEL 0 read, 1 write,
 *           2 instruction fetch, 3 escape, 4 flush; the rest of a line is
 *           ignored.  One file per core.
 *   cs4223  the per-core teaching format: "0 ADDR" load, "1 ADDR" store,
 *           "2 N" N cycles of other work; every value hexadecimal.  File i
 *           is core i.
 *   lackey  valgrind --tool=lackey --trace-mem=yes output: "==PID==" lines,
 *           "I  ADDR,SIZE" instruction fetches, " L|S|M ADDR,SIZE" data
 *           accesses.  One file per core (normally one file).
 *   tid     one trace of several threads: "TID L|S|M ADDR SIZE" and
 *           "TID I N".  Thread ids become cores 0, 1, ... in order of first
 *           appearance, and the output keeps the trace's global order.
 *
 * Addresses are hexadecimal with or without 0x.  An access becomes, for
 * every 8-byte word it touches in address order, a load (L), a store (S),
 * or a load then a store (M); din and cs4223 accesses touch one word.
 * Instruction fetches, escape and flush records, valgrind's messages,
 * blank lines and lines starting with '#' are dropped and counted by
 * reason.  The first malformed line stops the conversion with
 * "FILE:LINE: expected ..., found ...".
 *
 * Several files are written one after the other, so each core's lines are
 * together (in file order); the rounds schedule runs them side by side.
 * Input is streamed, in blocks; memory does not grow with its size.
 * Inputs ending in ".gz" are decompressed (several gzip members too).
 */
#ifndef LABYRINTH_CONVERT_H
#define LABYRINTH_CONVERT_H

#include <glib.h>
#include <stdint.h>

#include "gen.h"

typedef enum { CONV_DIN, CONV_CS4223, CONV_LACKEY, CONV_TID, CONV_N_FORMATS } ConvFormat;

/* Why a line was dropped. */
typedef enum {
	CONV_DROP_BLANK,   /* blank */
	CONV_DROP_COMMENT, /* starts with '#' */
	CONV_DROP_IFETCH,  /* an instruction fetch: din label 2, lackey I */
	CONV_DROP_ESCAPE,  /* din label 3: an access of unknown type */
	CONV_DROP_FLUSH,   /* din label 4: a cache flush */
	CONV_DROP_TOOL,    /* lackey: valgrind's own messages (==PID==, --PID--) */
	CONV_N_DROPS
} ConvDrop;

typedef struct {
	unsigned files;
	unsigned cores;
	uint64_t lines_read; /* every line of every input */
	uint64_t dropped[CONV_N_DROPS];
	uint64_t operations; /* operation lines written */
} ConvStats;

#define CONV_ERROR (conv_error_quark())
GQuark conv_error_quark(void);
typedef enum {
	CONV_ERROR_USAGE, /* wrong number of inputs for the format */
	CONV_ERROR_OPEN,  /* an input cannot be read, or is not valid gzip */
	CONV_ERROR_PARSE, /* "FILE:LINE: expected ..., found ..." */
} ConvError;

/* "din" -> CONV_DIN, ...; FALSE for an unknown name. */
gboolean conv_format_from_name(const char *name, ConvFormat *fmt);
const char *conv_format_name(ConvFormat fmt);
const char *conv_drop_reason(ConvDrop why);

/* Converts the inputs into w (header included); stats is filled as far as
 * the conversion got.  The caller finishes w on success and frees it
 * either way, so a failed conversion leaves no output file. */
gboolean conv_convert(ConvFormat fmt, const char *const *inputs, gsize n_inputs, GenWriter *w,
		      ConvStats *stats, GError **error);

#endif
