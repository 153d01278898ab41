/* convert.c - the importers of convert.h: one line reader for every
 * format, one small parser per format, and one function that turns an
 * access of any size into word operations.
 *
 * The reader keeps a 1 MiB block of (decompressed) text and hands out its
 * lines in place, so memory stays bounded whatever the input's size; a line
 * longer than the block is an error, not a reason to buffer more.  Gzip
 * input is run through GZlibDecompressor by hand rather than through a
 * GConverterInputStream, because the stream stops at the end of the first
 * gzip member and would silently lose the rest of a "cat a.gz b.gz" file;
 * here the decompressor is reset at each member boundary.
 */
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "convert.h"
#include "input/workload.h"

G_DEFINE_QUARK(labyrinth-convert-error-quark, conv_error)

#define CONV_BLOCK (1u << 20) /* text per read; also the longest line */
#define CONV_RAW (256u << 10) /* compressed bytes per read */
#define CONV_SHOW_MAX 40      /* error messages show at most this much of a token */

static const char *const format_names[CONV_N_FORMATS] = {
	[CONV_DIN] = "din",
	[CONV_CS4223] = "cs4223",
	[CONV_LACKEY] = "lackey",
	[CONV_TID] = "tid",
};

static const char *const drop_reasons[CONV_N_DROPS] = {
	[CONV_DROP_BLANK] = "blank line",
	[CONV_DROP_COMMENT] = "comment",
	[CONV_DROP_IFETCH] = "instruction fetch",
	[CONV_DROP_ESCAPE] = "escape record (label 3)",
	[CONV_DROP_FLUSH] = "cache flush (label 4)",
	[CONV_DROP_TOOL] = "valgrind message",
};

gboolean conv_format_from_name(const char *name, ConvFormat *fmt)
{
	for (int i = 0; i < CONV_N_FORMATS; i++) {
		if (strcmp(name, format_names[i]) == 0) {
			*fmt = (ConvFormat)i;
			return TRUE;
		}
	}
	return FALSE;
}

const char *conv_format_name(ConvFormat fmt)
{
	g_assert(fmt < CONV_N_FORMATS);
	return format_names[fmt];
}

const char *conv_drop_reason(ConvDrop why)
{
	g_assert(why < CONV_N_DROPS);
	return drop_reasons[why];
}

/* ------------------------------------------------------------------------
 * The line reader. */

typedef struct {
	const char *path;
	GInputStream *in;
	GConverter *gunzip;  /* a GZlibDecompressor for ".gz" input, else NULL */
	char *raw;           /* compressed bytes [raw_pos, raw_len) not yet decompressed */
	gsize raw_pos, raw_len;
	gboolean raw_eof;    /* the file has no more bytes */
	gboolean member_end; /* the decompressor finished a gzip member */
	char *buf;           /* CONV_BLOCK + 1 bytes: text [pos, len) not yet handed out */
	gsize pos, len;
	gboolean eof;        /* no more text */
	uint64_t line;       /* the number of the line last handed out */
} LineReader;

static void lr_close(LineReader *r)
{
	g_clear_object(&r->in);
	g_clear_object(&r->gunzip);
	g_free(r->raw);
	g_free(r->buf);
	memset(r, 0, sizeof *r);
}

static gboolean lr_open(LineReader *r, const char *path, GError **error)
{
	memset(r, 0, sizeof *r);
	r->path = path;
	/* open() first for the plain "cannot open FILE: REASON" of the reader
	 * (GIO's message repeats the path, absolute). */
	int fd = g_open(path, O_RDONLY, 0);
	if (fd < 0) {
		int e = errno;
		g_set_error(error, CONV_ERROR, CONV_ERROR_OPEN, "cannot open %s: %s", path,
			    g_strerror(e));
		return FALSE;
	}
	close(fd);
	g_autoptr(GFile) file = g_file_new_for_path(path);
	g_autoptr(GError) err = NULL;
	GFileInputStream *in = g_file_read(file, NULL, &err);
	if (!in) {
		g_set_error(error, CONV_ERROR, CONV_ERROR_OPEN, "cannot open %s: %s", path,
			    err->message);
		return FALSE;
	}
	r->in = G_INPUT_STREAM(in);
	r->buf = g_malloc(CONV_BLOCK + 1);
	if (g_str_has_suffix(path, ".gz")) {
		r->gunzip = G_CONVERTER(g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP));
		r->raw = g_malloc(CONV_RAW);
	}
	return TRUE;
}

static gboolean read_error(LineReader *r, GError *err, GError **error)
{
	g_set_error(error, CONV_ERROR, CONV_ERROR_OPEN, "cannot read %s: %s", r->path,
		    err->message);
	g_error_free(err);
	return FALSE;
}

/* Appends to raw whatever the file gives next (after compacting). */
static gboolean lr_read_raw(LineReader *r, GError **error)
{
	if (r->raw_pos > 0) {
		memmove(r->raw, r->raw + r->raw_pos, r->raw_len - r->raw_pos);
		r->raw_len -= r->raw_pos;
		r->raw_pos = 0;
	}
	GError *err = NULL;
	gssize n = g_input_stream_read(r->in, r->raw + r->raw_len, CONV_RAW - r->raw_len, NULL,
				       &err);
	if (n < 0)
		return read_error(r, err, error);
	if (n == 0)
		r->raw_eof = TRUE;
	r->raw_len += (gsize)n;
	return TRUE;
}

/* Appends text after buf[len] (there is room); sets eof at the end. */
static gboolean lr_fill(LineReader *r, GError **error)
{
	gsize room = CONV_BLOCK - r->len;
	if (!r->gunzip) {
		GError *err = NULL;
		gssize n = g_input_stream_read(r->in, r->buf + r->len, room, NULL, &err);
		if (n < 0)
			return read_error(r, err, error);
		if (n == 0)
			r->eof = TRUE;
		r->len += (gsize)n;
		return TRUE;
	}
	for (;;) {
		if (r->raw_pos == r->raw_len && !r->raw_eof && !lr_read_raw(r, error))
			return FALSE;
		if (r->member_end) {
			/* Another member follows, or the file ends cleanly here. */
			if (r->raw_pos == r->raw_len && r->raw_eof) {
				r->eof = TRUE;
				return TRUE;
			}
			g_converter_reset(r->gunzip);
			r->member_end = FALSE;
		}
		gsize nread = 0, nwritten = 0;
		GError *err = NULL;
		GConverterResult res = g_converter_convert(
			r->gunzip, r->raw + r->raw_pos, r->raw_len - r->raw_pos, r->buf + r->len,
			room, r->raw_eof ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS, &nread,
			&nwritten, &err);
		if (res == G_CONVERTER_ERROR) {
			if (g_error_matches(err, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)) {
				g_error_free(err);
				if (r->raw_eof) {
					g_set_error(error, CONV_ERROR, CONV_ERROR_OPEN,
						    "%s: the gzip data ends early "
						    "(a truncated file?)",
						    r->path);
					return FALSE;
				}
				if (!lr_read_raw(r, error))
					return FALSE;
				continue;
			}
			g_set_error(error, CONV_ERROR, CONV_ERROR_OPEN, "%s: bad gzip data: %s",
				    r->path, err->message);
			g_error_free(err);
			return FALSE;
		}
		r->raw_pos += nread;
		r->len += nwritten;
		if (res == G_CONVERTER_FINISHED)
			r->member_end = TRUE;
		if (nwritten > 0)
			return TRUE;
	}
}

static gboolean line_error(const LineReader *r, GError **error, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

static gboolean line_error(const LineReader *r, GError **error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(error, CONV_ERROR, CONV_ERROR_PARSE, "%s:%" PRIu64 ": %s", r->path, r->line,
		    msg);
	return FALSE;
}

/* 1: *line is the next line, NUL-terminated, without its "\n" or "\r\n";
 * 0: the end; -1: an error. */
static int lr_next(LineReader *r, char **line, GError **error)
{
	for (;;) {
		char *start = r->buf + r->pos;
		gsize avail = r->len - r->pos;
		char *end = memchr(start, '\n', avail);
		if (!end && r->eof) {
			if (avail == 0)
				return 0;
			/* a last line without '\n' (buf has room for the NUL) */
			end = r->buf + r->len;
		}
		if (end) {
			r->line++;
			r->pos = (gsize)(end - r->buf) + (end < r->buf + r->len);
			if (end > start && end[-1] == '\r')
				end--;
			*end = '\0';
			if (memchr(start, '\0', (gsize)(end - start))) {
				line_error(r, error,
					   "expected text, found a NUL byte (a binary file?)");
				return -1;
			}
			*line = start;
			return 1;
		}
		if (r->pos > 0) {
			memmove(r->buf, start, avail);
			r->len = avail;
			r->pos = 0;
		}
		if (r->len == CONV_BLOCK) {
			r->line++;
			line_error(r, error, "expected a line shorter than %u KiB",
				   CONV_BLOCK >> 10);
			return -1;
		}
		if (!lr_fill(r, error))
			return -1;
	}
}

/* ------------------------------------------------------------------------
 * Tokens and numbers. */

static inline gboolean is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The next blank-separated token, NUL-terminated in place; NULL at the end. */
static char *next_token(char **p)
{
	char *s = *p;
	while (is_blank(*s))
		s++;
	if (!*s) {
		*p = s;
		return NULL;
	}
	char *e = s;
	while (*e && !is_blank(*e))
		e++;
	if (*e)
		*e++ = '\0';
	*p = e;
	return s;
}

/* A token as error messages show it: quoted, cut, or "end of line". */
static char *shown(const char *tok)
{
	if (!tok)
		return g_strdup("end of line");
	if (strlen(tok) > CONV_SHOW_MAX)
		return g_strdup_printf("'%.*s...'", CONV_SHOW_MAX, tok);
	return g_strdup_printf("'%s'", tok);
}

static gboolean expected(const LineReader *r, const char *what, const char *tok, GError **error)
{
	g_autofree char *found = shown(tok);
	return line_error(r, error, "expected %s, found %s", what, found);
}

/* Hexadecimal with or without 0x, fitting in 64 bits. */
static gboolean parse_hex(const char *tok, uint64_t *v)
{
	if (!tok)
		return FALSE;
	if (tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X'))
		tok += 2;
	if (!*tok || strlen(tok) > 16)
		return FALSE;
	uint64_t x = 0;
	for (; *tok; tok++) {
		int d = g_ascii_xdigit_value(*tok);
		if (d < 0)
			return FALSE;
		x = x << 4 | (uint64_t)d;
	}
	*v = x;
	return TRUE;
}

/* Decimal, or hexadecimal with 0x, fitting in 64 bits. */
static gboolean parse_count(const char *tok, uint64_t *v)
{
	if (!tok)
		return FALSE;
	if (tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X'))
		return parse_hex(tok, v);
	guint64 x;
	if (!g_ascii_string_to_unsigned(tok, 10, 0, G_MAXUINT64, &x, NULL))
		return FALSE;
	*v = x;
	return TRUE;
}

/* ------------------------------------------------------------------------
 * The formats. */

typedef struct {
	ConvFormat fmt;
	GenWriter *w;
	ConvStats *stats;
	unsigned core;        /* din, cs4223, lackey: the current file's core */
	GHashTable *threads;  /* tid: thread id -> core + 1 */
	GPtrArray *thread_ids;/* tid: core -> thread id */
} Conv;

/* An access of size bytes at addr: L, S or M per 8-byte word it touches,
 * in address order. */
static gboolean emit_access(Conv *cv, const LineReader *r, unsigned core, char kind,
			    uint64_t addr, uint64_t size, GError **error)
{
	if (size == 0)
		return line_error(r, error, "expected a size of at least 1 byte, found 0");
	if (addr + (size - 1) < addr)
		return line_error(r, error,
				  "expected an access inside the 64-bit address space, found "
				  "%" PRIu64 " bytes at 0x%" PRIx64,
				  size, addr);
	uint64_t last = (addr + (size - 1)) & ~UINT64_C(7);
	for (uint64_t a = addr & ~UINT64_C(7);; a += 8) {
		if (kind != 'S')
			gen_ld(cv->w, core, a);
		if (kind != 'L')
			gen_st(cv->w, core, a);
		if (a == last)
			break;
	}
	return TRUE;
}

static gboolean no_more(const LineReader *r, char **p, GError **error)
{
	char *tok = next_token(p);
	return !tok || expected(r, "end of line", tok, error);
}

/* "LABEL ADDR [anything]": Dinero ignores the rest of the line. */
static gboolean convert_din(Conv *cv, const LineReader *r, char *p, GError **error)
{
	char *label = next_token(&p);
	if (!label || label[1] || label[0] < '0' || label[0] > '4')
		return expected(r, "a din label 0 (read), 1 (write), 2 (fetch), 3 or 4", label,
				error);
	if (label[0] == '3' || label[0] == '4') {
		cv->stats->dropped[label[0] == '3' ? CONV_DROP_ESCAPE : CONV_DROP_FLUSH]++;
		return TRUE;
	}
	char *tok = next_token(&p);
	uint64_t addr;
	if (!parse_hex(tok, &addr))
		return expected(r, "a hexadecimal address", tok, error);
	if (label[0] == '2') {
		cv->stats->dropped[CONV_DROP_IFETCH]++;
		return TRUE;
	}
	return emit_access(cv, r, cv->core, label[0] == '0' ? 'L' : 'S', addr, 1, error);
}

/* "0 ADDR", "1 ADDR" or "2 N", all hexadecimal. */
static gboolean convert_cs4223(Conv *cv, const LineReader *r, char *p, GError **error)
{
	char *tok = next_token(&p);
	uint64_t kind, value;
	if (!parse_hex(tok, &kind) || kind > 2)
		return expected(r, "0 (load), 1 (store) or 2 (other work)", tok, error);
	tok = next_token(&p);
	if (!parse_hex(tok, &value))
		return expected(r,
				kind == 2 ? "a hexadecimal cycle count" : "a hexadecimal address",
				tok, error);
	if (!no_more(r, &p, error))
		return FALSE;
	if (kind == 2) {
		gen_compute(cv->w, cv->core, value);
		return TRUE;
	}
	return emit_access(cv, r, cv->core, kind == 0 ? 'L' : 'S', value, 1, error);
}

/* "ADDR,SIZE" of a lackey access. */
static gboolean parse_lackey_operand(const LineReader *r, char *tok, uint64_t *addr,
				     uint64_t *size, GError **error)
{
	char *comma = tok ? strchr(tok, ',') : NULL;
	if (!comma)
		return expected(r, "ADDRESS,SIZE", tok, error);
	*comma = '\0';
	if (!parse_hex(tok, addr)) {
		*comma = ',';
		return expected(r, "ADDRESS,SIZE with a hexadecimal address", tok, error);
	}
	if (!parse_count(comma + 1, size)) {
		*comma = ',';
		return expected(r, "ADDRESS,SIZE with a decimal size", tok, error);
	}
	return TRUE;
}

/* Valgrind lackey: "==PID== ..." messages, "I  ADDR,SIZE", " L ADDR,SIZE",
 * " S ADDR,SIZE", " M ADDR,SIZE". */
static gboolean convert_lackey(Conv *cv, const LineReader *r, char *p, GError **error)
{
	if ((p[0] == '=' && p[1] == '=') || (p[0] == '-' && p[1] == '-')) {
		cv->stats->dropped[CONV_DROP_TOOL]++;
		return TRUE;
	}
	char *tok = next_token(&p);
	if (tok && strcmp(tok, "I") == 0) {
		cv->stats->dropped[CONV_DROP_IFETCH]++;
		return TRUE;
	}
	if (!tok || tok[1] || !strchr("LSM", tok[0]))
		return expected(r, "a lackey line (I, L, S or M, or a ==PID== message)", tok,
				error);
	char kind = tok[0];
	uint64_t addr, size;
	if (!parse_lackey_operand(r, next_token(&p), &addr, &size, error) ||
	    !no_more(r, &p, error))
		return FALSE;
	return emit_access(cv, r, cv->core, kind, addr, size, error);
}

/* The core of a thread id: the next free one at its first appearance. */
static gboolean thread_core(Conv *cv, const LineReader *r, const char *tid, unsigned *core,
			    GError **error)
{
	gpointer found = g_hash_table_lookup(cv->threads, tid);
	if (found) {
		*core = GPOINTER_TO_UINT(found) - 1;
		return TRUE;
	}
	if (cv->thread_ids->len == WL_MAX_CORES)
		return line_error(r, error, "expected at most %d threads, found thread '%.*s'",
				  WL_MAX_CORES, CONV_SHOW_MAX, tid);
	*core = cv->thread_ids->len;
	char *key = g_strdup(tid);
	g_ptr_array_add(cv->thread_ids, key);
	g_hash_table_insert(cv->threads, key, GUINT_TO_POINTER(*core + 1));
	return TRUE;
}

/* "TID L|S|M ADDR SIZE" or "TID I N". */
static gboolean convert_tid(Conv *cv, const LineReader *r, char *p, GError **error)
{
	char *tid = next_token(&p);
	char *op = next_token(&p);
	if (!op || op[1] || !strchr("LSMI", op[0]))
		return expected(r, "an operation L, S, M or I after the thread id", op, error);
	char *tok = next_token(&p);
	uint64_t addr = 0, n;
	if (op[0] != 'I') {
		if (!parse_hex(tok, &addr))
			return expected(r, "a hexadecimal address", tok, error);
		tok = next_token(&p);
		if (!parse_count(tok, &n))
			return expected(r, "a size in bytes", tok, error);
	} else if (!parse_count(tok, &n)) {
		return expected(r, "a number of instructions", tok, error);
	}
	if (!no_more(r, &p, error))
		return FALSE;
	if (op[0] != 'I' && n == 0)
		return expected(r, "a size of at least 1 byte", "0", error);
	unsigned core = 0;
	if (!thread_core(cv, r, tid, &core, error))
		return FALSE;
	if (op[0] == 'I') {
		gen_compute(cv->w, core, n);
		return TRUE;
	}
	return emit_access(cv, r, core, op[0], addr, n, error);
}

typedef gboolean (*LineFn)(Conv *cv, const LineReader *r, char *line, GError **error);

static const LineFn line_fns[CONV_N_FORMATS] = {
	[CONV_DIN] = convert_din,
	[CONV_CS4223] = convert_cs4223,
	[CONV_LACKEY] = convert_lackey,
	[CONV_TID] = convert_tid,
};

static gboolean convert_file(Conv *cv, const char *path, GError **error)
{
	LineReader r;
	if (!lr_open(&r, path, error))
		return FALSE;
	LineFn fn = line_fns[cv->fmt];
	char *line;
	int got;
	gboolean ok = TRUE;
	while (ok && (got = lr_next(&r, &line, error)) == 1) {
		cv->stats->lines_read++;
		const char *s = line;
		while (is_blank(*s))
			s++;
		if (!*s)
			cv->stats->dropped[CONV_DROP_BLANK]++;
		else if (*s == '#')
			cv->stats->dropped[CONV_DROP_COMMENT]++;
		else
			ok = fn(cv, &r, line, error);
	}
	lr_close(&r);
	return ok && got == 0;
}

/* text as valid UTF-8 without control characters, for the output's
 * directives and comments (file names can hold anything). */
static char *printable(const char *text)
{
	char *s = g_utf8_make_valid(text, -1);
	for (char *c = s; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return s;
}

/* %name: the first input's base name without ".gz" and one extension,
 * made printable UTF-8. */
static char *workload_name(const char *path)
{
	g_autofree char *base = g_path_get_basename(path);
	if (g_str_has_suffix(base, ".gz"))
		base[strlen(base) - 3] = '\0';
	char *dot = strrchr(base, '.');
	if (dot && dot != base)
		*dot = '\0';
	return printable(*base ? base : "converted");
}

gboolean conv_convert(ConvFormat fmt, const char *const *inputs, gsize n_inputs, GenWriter *w,
		      ConvStats *stats, GError **error)
{
	g_assert(fmt < CONV_N_FORMATS);
	memset(stats, 0, sizeof *stats);
	if (fmt == CONV_TID && n_inputs != 1) {
		g_set_error(error, CONV_ERROR, CONV_ERROR_USAGE,
			    "--from tid takes one INPUT (a trace of all threads), found %zu",
			    n_inputs);
		return FALSE;
	}
	if (n_inputs < 1 || n_inputs > WL_MAX_CORES) {
		g_set_error(error, CONV_ERROR, CONV_ERROR_USAGE,
			    "--from %s takes 1 to %d INPUT files (one per core), found %zu",
			    format_names[fmt], WL_MAX_CORES, n_inputs);
		return FALSE;
	}
	Conv cv = { .fmt = fmt, .w = w, .stats = stats };
	g_autofree char *name = workload_name(inputs[0]);
	gen_text(w, "%labyrinth-workload 1\n");
	if (fmt != CONV_TID)
		gen_printf(w, "%%cores %zu\n", n_inputs);
	gen_printf(w, "%%name %s\n", name);
	g_autoptr(GString) from = g_string_new(NULL);
	for (gsize i = 0; i < n_inputs; i++) {
		g_autofree char *base = g_path_get_basename(inputs[i]);
		g_string_append_printf(from, " %s", base);
	}
	g_autofree char *from_shown = printable(from->str);
	gen_printf(w, "# converted by labyrinth convert --from %s from%s\n", format_names[fmt],
		   from_shown);
	if (fmt == CONV_TID)
		gen_text(w, "# threads become cores in order of first appearance "
			    "(listed at the end)\n");
	else if (n_inputs > 1)
		gen_text(w, "# file i is core i, each core's lines together\n");

	gboolean ok = TRUE;
	if (fmt == CONV_TID) {
		cv.threads = g_hash_table_new(g_str_hash, g_str_equal);
		cv.thread_ids = g_ptr_array_new_with_free_func(g_free);
	}
	for (gsize i = 0; ok && i < n_inputs; i++) {
		cv.core = (unsigned)i;
		stats->files++;
		ok = convert_file(&cv, inputs[i], error);
	}
	if (fmt == CONV_TID) {
		stats->cores = cv.thread_ids->len;
		for (guint c = 0; ok && c < cv.thread_ids->len; c++) {
			g_autofree char *id = printable(g_ptr_array_index(cv.thread_ids, c));
			gen_printf(w, "# core %u: thread %s\n", c, id);
		}
		g_hash_table_unref(cv.threads);
		g_ptr_array_unref(cv.thread_ids);
	} else {
		stats->cores = (unsigned)n_inputs;
	}
	stats->operations = gen_writer_ops(w);
	return ok;
}
