/* workload.c - reading workload files; see workload.h and
 * shared/spec/workload-format.md.
 *
 * This is the simulator's hottest loop: a functional run does little more
 * per operation than parse it.  So the file is read in large blocks into
 * one buffer and lines are parsed in place, with no allocation per line and
 * no sscanf/strtoull: a line like "0 ld 0x1a2b3c40" costs a few table
 * lookups per byte.  Every complete line in the buffer ends in '\n' (an
 * unterminated last line gets one appended), so the parser stops at that
 * '\n' without checking bounds.  A line cut by the end of a block is moved
 * to the front of the buffer before the next read.
 *
 * One parser, parse_op(), turns a line into a WlOp for both the validating
 * pass and the cursors, so they cannot disagree.  Validation adds what needs
 * the whole file's context: the header and directives, core counts,
 * address limits and which registers hold pages.  It also records, per
 * core, where its first operation starts and on which line its last one
 * is, so a per-core cursor on an uncompressed file seeks straight to its
 * first line and every per-core cursor stops after its last one.
 *
 * Memory is bounded: the buffer (it grows only to hold a line longer than
 * a block, up to WL_MAX_LINE), and per-core tables of fixed size.
 *
 * A large uncompressed file is validated in two halves at once, split at a
 * line end near the middle: validation is the one part of a run that
 * overlaps with nothing.  The second half is read without knowing the
 * first (see validate_split()); whenever the halves disagree with what one
 * pass would conclude, or either finds an error, the file is read again in
 * one pass, so results and messages never depend on the split.
 */
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

/* clang-format off */
G_DEFINE_QUARK(wl-error-quark, wl_error)
/* clang-format on */

/* ------------------------------------------------------------------------
 * Multi-member gzip.
 *
 * GZlibDecompressor stops at the end of the first gzip member, yet gzip -c
 * a b, pigz and "cat a.gz b.gz" write files of several members whose
 * meaning is their concatenation.  Read through GZlibDecompressor alone,
 * such a workload would lose everything after its first member without a
 * word.  This converter wraps it and restarts it at each member boundary;
 * anything after the last member that is not gzip is reported as corrupt.
 */
#define WL_TYPE_GUNZIP (wl_gunzip_get_type())
G_DECLARE_FINAL_TYPE(WlGunzip, wl_gunzip, WL, GUNZIP, GObject)

struct _WlGunzip {
	GObject parent;
	GConverter *zlib; /* the GZlibDecompressor doing the work */
	gboolean between; /* at a member boundary: input may end cleanly here */
};

static void wl_gunzip_converter_init(GConverterIface *iface);
G_DEFINE_TYPE_WITH_CODE(WlGunzip, wl_gunzip, G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(G_TYPE_CONVERTER, wl_gunzip_converter_init))

static GConverterResult wl_gunzip_convert(GConverter *converter, const void *inbuf,
					  gsize inbuf_size, void *outbuf, gsize outbuf_size,
					  GConverterFlags flags, gsize *bytes_read,
					  gsize *bytes_written, GError **error)
{
	WlGunzip *self = WL_GUNZIP(converter);

	if (self->between && inbuf_size == 0) {
		*bytes_read = *bytes_written = 0;
		if (flags & G_CONVERTER_INPUT_AT_END)
			return G_CONVERTER_FINISHED;
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, "Need more input");
		return G_CONVERTER_ERROR;
	}
	GConverterResult res =
		g_converter_convert(self->zlib, inbuf, inbuf_size, outbuf, outbuf_size, flags,
				    bytes_read, bytes_written, error);
	if (res == G_CONVERTER_ERROR)
		return res;
	self->between = FALSE;
	if (res == G_CONVERTER_FINISHED) {
		/* The end of one member: another may follow. */
		g_converter_reset(self->zlib);
		self->between = TRUE;
		if (*bytes_read < inbuf_size || !(flags & G_CONVERTER_INPUT_AT_END))
			return G_CONVERTER_CONVERTED;
	}
	return res;
}

static void wl_gunzip_reset(GConverter *converter)
{
	WlGunzip *self = WL_GUNZIP(converter);

	g_converter_reset(self->zlib);
	self->between = FALSE;
}

static void wl_gunzip_converter_init(GConverterIface *iface)
{
	iface->convert = wl_gunzip_convert;
	iface->reset = wl_gunzip_reset;
}

static void wl_gunzip_finalize(GObject *object)
{
	g_clear_object(&WL_GUNZIP(object)->zlib);
	G_OBJECT_CLASS(wl_gunzip_parent_class)->finalize(object);
}

static void wl_gunzip_class_init(WlGunzipClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = wl_gunzip_finalize;
}

static void wl_gunzip_init(WlGunzip *self)
{
	self->zlib = G_CONVERTER(g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP));
}

/* ------------------------------------------------------------------------
 * Files and streams.
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

/* "Error opening file x: No such file or directory" -> the part after the
 * last ": ", which is the reason without GIO's own restatement of the path. */
static const char *io_reason(const GError *err)
{
	const char *colon = g_strrstr(err->message, ": ");

	return colon && colon[2] ? colon + 2 : err->message;
}

/* The stamp of the file at path, which must be a regular file.  By path,
 * not from an open stream: GIO's stream query reports any file type as
 * regular. */
static gboolean stamp_of(GFile *file, const char *path, FileStamp *stamp, GError **error)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GFileInfo) fi = g_file_query_info(file,
						    G_FILE_ATTRIBUTE_STANDARD_TYPE
						    "," G_FILE_ATTRIBUTE_STANDARD_SIZE
						    "," G_FILE_ATTRIBUTE_TIME_MODIFIED
						    "," G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
						    G_FILE_QUERY_INFO_NONE, NULL, &err);

	if (!fi) {
		g_set_error(error, WL_ERROR, WL_ERROR_OPEN, "%s: cannot open: %s", path,
			    io_reason(err));
		return FALSE;
	}
	/* Validation and the cursors read the file again: a pipe would give
	 * them nothing, and a run from nothing would look like success. */
	if (g_file_info_get_file_type(fi) != G_FILE_TYPE_REGULAR) {
		g_set_error(error, WL_ERROR, WL_ERROR_OPEN,
			    "%s: cannot open: not a regular file (a workload is read more than "
			    "once)",
			    path);
		return FALSE;
	}
	stamp->size = (uint64_t)g_file_info_get_size(fi);
	stamp->mtime_us =
		g_file_info_get_attribute_uint64(fi, G_FILE_ATTRIBUTE_TIME_MODIFIED) * 1000000 +
		g_file_info_get_attribute_uint32(fi, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);
	return TRUE;
}

/* Opens path for reading from byte offset (0 for .gz, which cannot seek),
 * decompressing .gz; fills *stamp. */
static GInputStream *open_stream(const char *path, gboolean gz, uint64_t offset, FileStamp *stamp,
				 GError **error)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GFile) file = g_file_new_for_path(path);

	/* First, so that a FIFO is refused rather than waited on. */
	if (!stamp_of(file, path, stamp, error))
		return NULL;
	g_autoptr(GFileInputStream) fis = g_file_read(file, NULL, &err);
	if (!fis) {
		g_set_error(error, WL_ERROR, WL_ERROR_OPEN, "%s: cannot open: %s", path,
			    io_reason(err));
		return NULL;
	}
	if (gz) {
		g_assert(offset == 0);
		g_autoptr(GConverter) conv = g_object_new(WL_TYPE_GUNZIP, NULL);
		return g_converter_input_stream_new(G_INPUT_STREAM(fis), conv);
	}
	if (offset && !g_seekable_seek(G_SEEKABLE(fis), (goffset)offset, G_SEEK_SET, NULL, &err)) {
		g_set_error(error, WL_ERROR, WL_ERROR_OPEN, "%s: cannot seek: %s", path,
			    io_reason(err));
		return NULL;
	}
	return G_INPUT_STREAM(g_steal_pointer(&fis));
}

/* ------------------------------------------------------------------------
 * The scanner: a stream, its buffer, and the line being parsed.
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

static void scanner_init(Scanner *sc, GInputStream *in, const char *path, size_t cap, uint64_t base,
			 uint64_t line)
{
	*sc = (Scanner){
		.in = in,
		.path = path,
		.buf = g_malloc0(cap + 1 + WL_PAD),
		.cap = cap,
		.base = base,
		.line = line,
		.core_limit = WL_MAX_CORES,
		.stop = UINT64_MAX,
	};
	sc->pos = sc->lim = sc->end = sc->buf;
}

static void scanner_clear(Scanner *sc)
{
	g_clear_object(&sc->in);
	g_clear_pointer(&sc->buf, g_free);
	sc->pos = sc->lim = sc->end = NULL;
}

static G_GNUC_PRINTF(3, 4) void parse_error(const Scanner *sc, GError **error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(error, WL_ERROR, WL_ERROR_PARSE, "%s:%" G_GUINT64_FORMAT ": %s", sc->path,
		    sc->line, msg);
}

/* Called when [pos, lim) is used up: keeps the partial line at the end of
 * the buffer, reads the next block behind it.  1: [pos, lim) holds at least
 * one whole line; 0: end of file; -1: error. */
static int scanner_fill(Scanner *sc, GError **error)
{
	size_t keep = (size_t)(sc->end - sc->pos);

	g_assert(sc->pos == sc->lim);
	memmove(sc->buf, sc->pos, keep);
	sc->base += (uint64_t)(sc->pos - sc->buf);
	sc->pos = sc->lim = sc->buf;
	sc->end = sc->buf + keep;
	for (;;) {
		if (sc->eof) {
			if (sc->end == sc->pos)
				return 0;
			/* The last line has no '\n': give it one (buf has room). */
			sc->buf[sc->end - sc->buf] = '\n';
			sc->lim = ++sc->end;
			return 1;
		}
		size_t have = (size_t)(sc->end - sc->buf);
		if (have == sc->cap) {
			/* One line fills the buffer. */
			if (sc->cap >= WL_MAX_LINE) {
				parse_error(sc, error, "line longer than %u MiB",
					    WL_MAX_LINE >> 20);
				return -1;
			}
			sc->cap *= 2;
			sc->buf = g_realloc(sc->buf, sc->cap + 1 + WL_PAD);
			memset(sc->buf + have, 0, sc->cap + 1 + WL_PAD - have);
			sc->pos = sc->lim = sc->buf;
			sc->end = sc->buf + have;
		}
		gsize n = 0;
		g_autoptr(GError) err = NULL;
		size_t want = sc->cap - have;
		uint64_t at = sc->base + have;
		if (sc->stop - at < want)
			want = (size_t)(sc->stop - at);
		if (!g_input_stream_read_all(sc->in, sc->buf + have, want, &n, NULL, &err)) {
			/* zlib's "Need more input", at the end of the file. */
			const char *why = g_error_matches(err, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)
						  ? "the compressed data is cut short"
						  : io_reason(err);
			g_set_error(error, WL_ERROR, WL_ERROR_OPEN, "%s: cannot read: %s", sc->path,
				    why);
			return -1;
		}
		if (n < sc->cap - have)
			sc->eof = TRUE;
		/* The kept bytes hold no '\n': look only at the new ones, from
		 * the back, where the last '\n' is a few bytes away. */
		const char *p = sc->buf + have + n;
		while (p > sc->buf + have && p[-1] != '\n')
			p--;
		sc->end = sc->buf + have + n;
		if (p > sc->buf + have) {
			sc->lim = p;
			return 1;
		}
	}
}

/* ------------------------------------------------------------------------
 * Lexing.  Tokens end at a blank or at the end of the line's content ('\n',
 * or '#', which starts a comment anywhere).  '\r' counts as a blank, so
 * files with CRLF line ends read the same.
 */
enum { D_TOKEN = 0, D_BLANK = 1, D_END = 2 };

static const uint8_t delim[256] = {
	[' '] = D_BLANK, ['\t'] = D_BLANK, ['\r'] = D_BLANK, ['\n'] = D_END, ['#'] = D_END,
};

#define UC(p) ((unsigned char)*(p))

/* Hexadecimal digits eight at a time (SWAR): a 64-bit load holds the next
 * 8 bytes, first byte lowest.  The buffer has WL_PAD spare bytes, so a
 * load near its end stays inside it.  This halves the cost of a line like
 * "0 ld 0x1a2b3c40" against a loop over the digits. */
#define ONES UINT64_C(0x0101010101010101)
/* 0x80 in each byte b of x with m < b < n (bytes >= 0x80 never qualify);
 * no carry crosses bytes, as each works on its low 7 bits. */
static inline uint64_t bytes_between(uint64_t x, unsigned m, unsigned n)
{
	uint64_t low = x & ONES * 127;

	return (ONES * (127 + n) - low) & ~x & (low + ONES * (127 - m)) & ONES * 128;
}

static inline uint64_t load8(const char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return GUINT64_FROM_LE(w);
}

static inline uint32_t load4(const char *p)
{
	uint32_t w;

	memcpy(&w, p, 4);
	return GUINT32_FROM_LE(w);
}

/* How many of the 8 bytes of x, from the first, are hex digits. */
static inline unsigned hex_run(uint64_t x)
{
	uint64_t hex = bytes_between(x, '0' - 1, '9' + 1) |
		       bytes_between(x | ONES * 0x20, 'a' - 1, 'f' + 1);
	uint64_t other = ~hex & ONES * 0x80;

	return other ? (unsigned)__builtin_ctzll(other) >> 3 : 8;
}

/* The value of the first n (1..8) bytes of x, all hex digits. */
static inline uint64_t hex_value(uint64_t x, unsigned n)
{
	/* Each byte to its digit: '0'..'9' -> low nibble; letters (bit 6
	 * set) -> low nibble + 9.  Then the n digits to the top bytes, the
	 * last digit in byte 7, and pairs, quads, octets combined. */
	uint64_t d = (x & ONES * 0x0f) + ((x & ONES * 0x40) >> 6) * 9;

	d <<= (8 - n) * 8;
	d = (d & UINT64_C(0x00ff00ff00ff00ff)) << 4 | (d >> 8 & UINT64_C(0x00ff00ff00ff00ff));
	d = (d & UINT64_C(0x0000ffff0000ffff)) << 8 | (d >> 16 & UINT64_C(0x0000ffff0000ffff));
	return (d & UINT64_C(0xffffffff)) << 16 | d >> 32;
}

static inline const char *skip_blanks(const char *p)
{
	while (delim[UC(p)] == D_BLANK)
		p++;
	return p;
}

static inline const char *token_end(const char *p)
{
	while (delim[UC(p)] == D_TOKEN)
		p++;
	return p;
}

/* The token at p as a message shows it: at most WL_SHOW_MAX bytes, bytes
 * that are not printable ASCII escaped. */
static char *show_token(const char *p)
{
	const char *e = token_end(p);

	if (e == p)
		return g_strdup("end of line");
	GString *s = g_string_new(NULL);
	for (; p < e && s->len < WL_SHOW_MAX; p++) {
		if (UC(p) >= 0x20 && UC(p) < 0x7f)
			g_string_append_c(s, *p);
		else
			g_string_append_printf(s, "\\x%02x", UC(p));
	}
	if (p < e)
		g_string_append(s, "...");
	return g_string_free(s, FALSE);
}

enum { NUM_OK, NUM_BAD, NUM_OVERFLOW };

/* Rechecks a number of 17 or more hex digits, or 20 or more decimal ones,
 * for overflow, which the fast loops of scan_number() do not test. */
static int number_overflows(const char *s, const char *e, gboolean hex)
{
	uint64_t v = 0;

	while (s < e - 1 && *s == '0')
		s++;
	if (hex)
		return e - s > 16;
	for (; s < e; s++)
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (unsigned)UC(s) - '0', &v))
			return TRUE;
	return FALSE;
}

/* Decimal, or hexadecimal after a lower-case 0x; no sign; 64 bits.  On
 * NUM_OK, *pp moves past the number, which must end the token.  The loops
 * test nothing but the digits: a number too long to be sure it fits is
 * rechecked after. */
static inline int scan_number(const char **pp, uint64_t *out)
{
	const char *s = *pp, *p;
	uint64_t v = 0;
	unsigned d;

	if (s[0] == '0' && s[1] == 'x') {
		s += 2;
		uint64_t x = load8(s);
		unsigned n = hex_run(x);
		if (!n)
			return NUM_BAD;
		v = hex_value(x, n);
		p = s + n;
		while (G_UNLIKELY(n == 8)) {
			x = load8(p);
			n = hex_run(x);
			if (!n)
				break;
			v = v << (4 * n) | hex_value(x, n);
			p += n;
		}
		if (G_UNLIKELY(p - s > 16) && number_overflows(s, p, TRUE))
			return NUM_OVERFLOW;
	} else {
		d = (unsigned)UC(s) - '0';
		if (d > 9)
			return NUM_BAD;
		p = s;
		do {
			v = v * 10 + d;
			d = (unsigned)UC(++p) - '0';
		} while (d <= 9);
		if (G_UNLIKELY(p - s > 19) && number_overflows(s, p, FALSE))
			return NUM_OVERFLOW;
	}
	if (delim[UC(p)] == D_TOKEN)
		return NUM_BAD; /* "12ab", "0x1g" */
	*pp = p;
	*out = v;
	return NUM_OK;
}

/* The message for a token that should have been a number. */
static const char *number_error(const Scanner *sc, const char *tok, int status, const char *what,
				GError **error)
{
	g_autofree char *shown = show_token(tok);

	if (status == NUM_OVERFLOW)
		parse_error(sc, error, "expected %s that fits in 64 bits, found %s", what, shown);
	else if (tok[0] == '-' || tok[0] == '+')
		parse_error(sc, error, "expected %s, found %s (numbers have no sign)", what, shown);
	else if (tok[0] == '0' && tok[1] == 'X')
		parse_error(
			sc, error,
			"expected %s, found %s (hexadecimal numbers start with a lower-case 0x)",
			what, shown);
	else
		parse_error(sc, error, "expected %s, found %s", what, shown);
	return NULL;
}

/* A number token after blanks; NULL with *error when there is none. */
static inline const char *parse_number(const Scanner *sc, const char *p, uint64_t *v,
				       const char *what, GError **error)
{
	p = skip_blanks(p);
	const char *tok = p;
	int status = scan_number(&p, v);
	if (G_UNLIKELY(status != NUM_OK))
		return number_error(sc, tok, status, what, error);
	return p;
}

static const char *register_error(const Scanner *sc, const char *tok, GError **error)
{
	g_autofree char *shown = show_token(tok);

	parse_error(sc, error, "expected a register r0..r15, found %s", shown);
	return NULL;
}

/* "rN" at p, N in 0..15 written without leading zeros; *reg = N.  Returns
 * the position after it (the caller checks what follows). */
static inline const char *scan_register(const char *p, unsigned *reg)
{
	unsigned r = (unsigned)UC(p + 1) - '0';

	if (p[0] != 'r' || r > 9)
		return NULL;
	p += 2;
	if (r == 1 && (unsigned)UC(p) - '0' <= 5) {
		r = 10 + (unsigned)UC(p) - '0';
		p++;
	}
	*reg = r;
	return p;
}

/* The target of alloc, free, lock_page, unlock_page: a bare register. */
static const char *parse_reg_operand(const Scanner *sc, const char *p, WlOp *op, GError **error)
{
	unsigned reg;

	p = skip_blanks(p);
	const char *tok = p;
	p = scan_register(tok, &reg);
	if (G_UNLIKELY(!p || delim[UC(p)] == D_TOKEN))
		return register_error(sc, tok, error);
	op->reg = (uint8_t)reg;
	return p;
}

/* ADDR: a number, or rN / rN+OFF (op->reg = N, op->addr = OFF).  *tok is
 * set to the number's text, for the caller's messages. */
static inline const char *parse_addr(const Scanner *sc, const char *p, WlOp *op, const char **tok,
				     GError **error)
{
	p = skip_blanks(p);
	*tok = p;
	if (*p != 'r')
		return parse_number(sc, p, &op->addr, "an address", error);

	unsigned reg;
	const char *q = scan_register(p, &reg);
	if (G_UNLIKELY(!q || (*q != '+' && delim[UC(q)] == D_TOKEN)))
		return register_error(sc, p, error);
	op->reg = (uint8_t)reg;
	if (*q != '+')
		return q; /* rN: offset 0 */
	q++;
	*tok = q;
	int status = scan_number(&q, &op->addr);
	if (G_UNLIKELY(status != NUM_OK))
		return number_error(sc, *tok, status, "an offset", error);
	return q;
}

/* Skips the rest of the line, which must hold nothing but blanks and maybe
 * a comment; returns the start of the next line. */
static inline const char *end_of_line(const Scanner *sc, const char *p, GError **error)
{
	p = skip_blanks(p);
	if (G_LIKELY(*p == '\n'))
		return p + 1;
	if (*p == '#')
		return (const char *)memchr(p, '\n', (size_t)(sc->lim - p)) + 1;
	g_autofree char *shown = show_token(p);
	parse_error(sc, error, "expected end of line, found %s", shown);
	return NULL;
}

/* A required operand must not be missing. */
static inline gboolean have_operand(const Scanner *sc, const char *p, const char *what,
				    GError **error)
{
	p = skip_blanks(p);
	if (G_LIKELY(delim[UC(p)] != D_END))
		return TRUE;
	parse_error(sc, error, "expected %s, found end of line", what);
	return FALSE;
}

static const struct {
	const char *name;
	uint32_t bit;
} gfp_names[] = {
	{"GFP_ATOMIC", WL_GFP_ATOMIC}, {"GFP_NOWAIT", WL_GFP_NOWAIT},
	{"GFP_KERNEL", WL_GFP_KERNEL}, {"__GFP_ZERO", WL_GFP_ZERO},
	{"__GFP_HIGH", WL_GFP_HIGH},   {"__GFP_NOWARN", WL_GFP_NOWARN},
};

/* FLAGS: gfp names joined by '|'. */
static const char *parse_gfp(const Scanner *sc, const char *p, uint32_t *gfp, GError **error)
{
	if (!have_operand(sc, p, "gfp flags", error))
		return NULL;
	p = skip_blanks(p);
	const char *e = token_end(p);
	*gfp = 0;
	for (;;) {
		const char *bar = memchr(p, '|', (size_t)(e - p));
		const char *ce = bar ? bar : e;
		size_t len = (size_t)(ce - p);
		guint i;
		for (i = 0; i < G_N_ELEMENTS(gfp_names); i++)
			if (strlen(gfp_names[i].name) == len && !memcmp(p, gfp_names[i].name, len))
				break;
		if (i == G_N_ELEMENTS(gfp_names)) {
			g_autofree char *shown = g_strndup(p, MIN(len, WL_SHOW_MAX));
			parse_error(sc, error,
				    "unknown gfp flag '%s' (expected GFP_ATOMIC, GFP_NOWAIT, "
				    "GFP_KERNEL, __GFP_ZERO, __GFP_HIGH or __GFP_NOWARN, joined by "
				    "'|')",
				    shown);
			return NULL;
		}
		*gfp |= gfp_names[i].bit;
		if (!bar)
			return e;
		p = bar + 1;
	}
}

static const char *op_names[WL_N_OPS] = {
	[WL_OP_LD] = "ld",
	[WL_OP_ST] = "st",
	[WL_OP_RMW] = "rmw",
	[WL_OP_COMPUTE] = "compute",
	[WL_OP_LOCK] = "lock",
	[WL_OP_UNLOCK] = "unlock",
	[WL_OP_BARRIER] = "barrier",
	[WL_OP_ALLOC] = "alloc",
	[WL_OP_FREE] = "free",
	[WL_OP_LOCK_PAGE] = "lock_page",
	[WL_OP_UNLOCK_PAGE] = "unlock_page",
};

const char *wl_op_name(WlOpKind kind)
{
	g_assert((unsigned)kind < WL_N_OPS);
	return op_names[kind];
}

/* The operation named by the len bytes at p, or -1. */
static inline int op_kind(const char *p, size_t len)
{
#define IS(s) (len == sizeof(s) - 1 && !memcmp(p, s, sizeof(s) - 1))
	switch (len) {
	case 2:
		if (p[1] == 'd' && p[0] == 'l')
			return WL_OP_LD;
		if (p[1] == 't' && p[0] == 's')
			return WL_OP_ST;
		return -1;
	case 3:
		return IS("rmw") ? WL_OP_RMW : -1;
	case 4:
		return IS("lock") ? WL_OP_LOCK : IS("free") ? WL_OP_FREE : -1;
	case 5:
		return IS("alloc") ? WL_OP_ALLOC : -1;
	case 6:
		return IS("unlock") ? WL_OP_UNLOCK : -1;
	case 7:
		return IS("compute") ? WL_OP_COMPUTE : IS("barrier") ? WL_OP_BARRIER : -1;
	case 9:
		return IS("lock_page") ? WL_OP_LOCK_PAGE : -1;
	case 11:
		return IS("unlock_page") ? WL_OP_UNLOCK_PAGE : -1;
	default:
		return -1;
	}
#undef IS
}

static const char *core_error(const Scanner *sc, uint64_t core, GError **error)
{
	unsigned n = sc->core_limit;

	if (!sc->core_counted)
		parse_error(sc, error,
			    "core %" G_GUINT64_FORMAT " is out of range (at most %u cores: 0..%u)",
			    core, n, n - 1);
	else if (n == 1)
		parse_error(sc, error,
			    "core %" G_GUINT64_FORMAT
			    " is out of range (the workload has 1 core: 0)",
			    core);
	else
		parse_error(sc, error,
			    "core %" G_GUINT64_FORMAT
			    " is out of range (the workload has %u cores: 0..%u)",
			    core, n, n - 1);
	return NULL;
}

/* Parses the operation line at p (blanks before it skipped) into *op.
 * Returns the start of the next line, or NULL with *error.  *addr_tok
 * points at the text of the address (or offset) operand, if any.  Any
 * line, any error: see parse_op() for the fast path in front of it. */
static G_GNUC_NO_INLINE const char *parse_op_general(const Scanner *sc, const char *p, WlOp *op,
						     const char **addr_tok, GError **error)
{
	const char *tok = p;
	uint64_t core;
	int status = scan_number(&p, &core);

	if (G_UNLIKELY(status != NUM_OK))
		return number_error(sc, tok, status, "a core number", error);
	if (G_UNLIKELY(core >= sc->core_limit))
		return core_error(sc, core, error);
	if (G_UNLIKELY(sc->line > UINT32_MAX)) {
		parse_error(sc, error, "expected operations within the first %u lines", UINT32_MAX);
		return NULL;
	}
	*op = (WlOp){.line = (uint32_t)sc->line, .core = (uint16_t)core, .reg = WL_NO_REG};

	p = skip_blanks(p);
	const char *e = token_end(p);
	int kind = op_kind(p, (size_t)(e - p));
	if (G_UNLIKELY(kind < 0)) {
		if (e == p) {
			parse_error(sc, error, "expected an operation, found end of line");
		} else {
			g_autofree char *shown = show_token(p);
			parse_error(sc, error,
				    "unknown operation '%s' (expected ld, st, rmw, compute, lock, "
				    "unlock, alloc, free, lock_page, unlock_page or barrier)",
				    shown);
		}
		return NULL;
	}
	op->kind = (uint8_t)kind;
	p = e;
	*addr_tok = NULL;

	switch (kind) {
	case WL_OP_LD:
		if (!have_operand(sc, p, "an address", error) ||
		    !(p = parse_addr(sc, p, op, addr_tok, error)))
			return NULL;
		p = skip_blanks(p);
		if (*p == '=') {
			tok = p++;
			status = scan_number(&p, &op->expect);
			if (G_UNLIKELY(status != NUM_OK))
				return number_error(sc, tok, status, "=VALUE (like =42 or =0x2a)",
						    error);
			op->has_expect = 1;
		}
		break;
	case WL_OP_ST:
		if (!have_operand(sc, p, "an address", error) ||
		    !(p = parse_addr(sc, p, op, addr_tok, error)))
			return NULL;
		p = skip_blanks(p);
		if (delim[UC(p)] != D_END) {
			if (!(p = parse_number(sc, p, &op->value, "a value", error)))
				return NULL;
			op->has_value = 1;
		}
		break;
	case WL_OP_RMW: {
		if (!have_operand(sc, p, "an rmw kind (add, xchg or cas)", error))
			return NULL;
		p = skip_blanks(p);
		e = token_end(p);
		size_t len = (size_t)(e - p);
		if (len == 3 && !memcmp(p, "add", 3)) {
			op->rmw = WL_RMW_ADD;
		} else if (len == 4 && !memcmp(p, "xchg", 4)) {
			op->rmw = WL_RMW_XCHG;
		} else if (len == 3 && !memcmp(p, "cas", 3)) {
			op->rmw = WL_RMW_CAS;
		} else {
			g_autofree char *shown = show_token(p);
			parse_error(sc, error, "expected an rmw kind (add, xchg or cas), found %s",
				    shown);
			return NULL;
		}
		p = e;
		if (!have_operand(sc, p, "an address", error) ||
		    !(p = parse_addr(sc, p, op, addr_tok, error)))
			return NULL;
		const char *what = op->rmw == WL_RMW_CAS ? "the value to compare" : "a value";
		if (!have_operand(sc, p, what, error) ||
		    !(p = parse_number(sc, p, &op->value, what, error)))
			return NULL;
		if (op->rmw == WL_RMW_CAS &&
		    (!have_operand(sc, p, "the new value", error) ||
		     !(p = parse_number(sc, p, &op->value2, "the new value", error))))
			return NULL;
		break;
	}
	case WL_OP_COMPUTE:
		if (!have_operand(sc, p, "a cycle count", error) ||
		    !(p = parse_number(sc, p, &op->value, "a cycle count", error)))
			return NULL;
		break;
	case WL_OP_LOCK:
	case WL_OP_UNLOCK:
		if (!have_operand(sc, p, "an address", error) ||
		    !(p = parse_addr(sc, p, op, addr_tok, error)))
			return NULL;
		break;
	case WL_OP_ALLOC: {
		if (!have_operand(sc, p, "a register r0..r15", error) ||
		    !(p = parse_reg_operand(sc, p, op, error)) ||
		    !(p = parse_gfp(sc, p, &op->gfp, error)))
			return NULL;
		p = skip_blanks(p);
		if (delim[UC(p)] != D_END) {
			uint64_t order = 0;
			tok = p;
			if (!(p = parse_number(sc, p, &order, "an order from 0 to 10", error)))
				return NULL;
			if (order > WL_MAX_ORDER) {
				g_autofree char *shown = show_token(tok);
				parse_error(sc, error, "expected an order from 0 to %d, found %s",
					    WL_MAX_ORDER, shown);
				return NULL;
			}
			op->order = (uint8_t)order;
		}
		break;
	}
	case WL_OP_FREE:
	case WL_OP_LOCK_PAGE:
	case WL_OP_UNLOCK_PAGE:
		if (!have_operand(sc, p, "a register r0..r15", error) ||
		    !(p = parse_reg_operand(sc, p, op, error)))
			return NULL;
		break;
	case WL_OP_BARRIER:
		break;
	default:
		g_assert_not_reached();
	}
	return end_of_line(sc, p, error);
}

#define OP4(a, b, c, d)                                                                            \
	((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)

/* parse_op_general(), with a fast path in front for the lines that make
 * up nearly all of a generated trace: "C ld 0xADDR" and "C st 0xADDR" or
 * "C st 0xADDR VALUE", with a one-digit core, single spaces, 1 to 8 hex
 * digits, a decimal VALUE and nothing after.  They cost about half as much
 * here.  A line that fails any check goes the general way, which takes
 * these lines too, to the same WlOp. */
static inline const char *parse_op(const Scanner *sc, const char *p, WlOp *op,
				   const char **addr_tok, GError **error)
{
	unsigned core = (unsigned)UC(p) - '0';
	/* p[0] is a digit, so p[1] is in the line; the 4 bytes at p + 2 may
	 * run past it, but not past the buffer's padding. */
	uint32_t w = load4(p + 2);

	if (G_LIKELY(core <= 9 && p[1] == ' ' &&
		     (w == OP4('l', 'd', ' ', '0') || w == OP4('s', 't', ' ', '0')) &&
		     p[6] == 'x' && core < sc->core_limit && sc->line <= UINT32_MAX)) {
		uint64_t x = load8(p + 7);
		unsigned n = hex_run(x);
		const char *q = p + 7 + n;
		uint64_t value = 0;
		gboolean has_value = FALSE;

		if (G_UNLIKELY(n == 0))
			goto general;
		/* With n == 8, more digits may follow: then *q is neither ' '
		 * nor '\n', and the line goes the general way. */
		if (*q == ' ' && w == OP4('s', 't', ' ', '0')) {
			const char *s = ++q;
			unsigned d = (unsigned)UC(s) - '0';
			if (d > 9)
				goto general;
			do {
				value = value * 10 + d;
				d = (unsigned)UC(++q) - '0';
			} while (d <= 9);
			if (q - s > 19)
				goto general; /* might overflow */
			has_value = TRUE;
		}
		if (G_LIKELY(*q == '\n')) {
			*op = (WlOp){
				.addr = hex_value(x, n),
				.value = value,
				.line = (uint32_t)sc->line,
				.core = (uint16_t)core,
				.kind = w == OP4('l', 'd', ' ', '0') ? WL_OP_LD : WL_OP_ST,
				.reg = WL_NO_REG,
				.has_value = (uint8_t)has_value,
			};
			*addr_tok = p + 5;
			return q + 1;
		}
	}
general:
	return parse_op_general(sc, p, op, addr_tok, error);
}

/* ------------------------------------------------------------------------
 * Validation.
 */

/* State of the validating pass beyond the scanner.  On the heap: the
 * register tables are 64 KiB. */
typedef struct {
	WlFile *wl;
	const WlLimits *limits;
	Scanner sc;
	WlInfo info;
	uint64_t addr_limit;	     /* plain addresses must be below: min(mem_size, kernel_base) */
	uint64_t header_line;	     /* 0 until the header is read */
	uint64_t cores_line;	     /* line of %cores, or 0 */
	uint64_t name_line;	     /* line of %name, or 0 */
	uint64_t first_op_line;	     /* 0 until the first operation */
	unsigned max_core;	     /* highest core id seen */
	Span *span;		     /* per core: the WlFile's, or the second half's own */
	/* The second half of a split file (see validate_split()) does not know
	 * which registers the first half left holding a page: the first use of
	 * a register it has not allocated itself is taken as held, and noted
	 * in need[] for the merge to check. */
	gboolean cont;
	uint16_t known[WL_MAX_CORES]; /* cont: bit r: r's state is known in this half */
	uint16_t need[WL_MAX_CORES];  /* cont: bit r: must hold a page where this half starts */
	uint16_t held[WL_MAX_CORES]; /* bit r: register r holds a page */
	uint32_t freed_line[WL_MAX_CORES][WL_N_REGS]; /* where a register was last freed */
} Validator;

/* Directives and the header, the slow path of the validating loop: any
 * line that is not blank, a comment, or an operation after the header.
 * Returns the start of the next line, or NULL with *error. */
static const char *validate_other_line(Validator *v, const char *p, GError **error)
{
	Scanner *sc = &v->sc;
	const char *e = token_end(p);
	size_t len = (size_t)(e - p);

	if (!v->header_line) {
		const char *q = skip_blanks(e);
		if (len == 19 && !memcmp(p, "%labyrinth-workload", 19) && q[0] == '1' &&
		    delim[UC(q + 1)] != D_TOKEN) {
			const char *next = end_of_line(sc, q + 1, NULL);
			if (next) {
				v->header_line = sc->line;
				return next;
			}
		}
		/* Show the line as written, without its comment or line end. */
		const char *le = p;
		while (delim[UC(le)] != D_END)
			le++;
		while (le > p && delim[UC(le - 1)] == D_BLANK)
			le--;
		g_autofree char *line = g_strndup(p, (gsize)MIN(le - p, 2 * WL_SHOW_MAX));
		for (char *c = line; *c; c++)
			if (UC(c) < 0x20 || UC(c) >= 0x7f)
				*c = '?';
		parse_error(sc, error, "expected the header '%%labyrinth-workload 1', found %s",
			    line);
		return NULL;
	}
	if (*p != '%')
		return parse_op_general(sc, p, &(WlOp){0}, &(const char *){NULL}, error);

	uint64_t *seen;
	if (len == 6 && !memcmp(p, "%cores", 6)) {
		seen = &v->cores_line;
	} else if (len == 5 && !memcmp(p, "%name", 5)) {
		seen = &v->name_line;
	} else if (len == 19 && !memcmp(p, "%labyrinth-workload", 19)) {
		seen = &v->header_line;
	} else {
		g_autofree char *shown = show_token(p);
		parse_error(sc, error, "unknown directive '%s' (expected %%cores or %%name)",
			    shown);
		return NULL;
	}
	g_autofree char *name = g_strndup(p, len);
	if (*seen) {
		parse_error(sc, error, "duplicate %s (the first is on line %" G_GUINT64_FORMAT ")",
			    name, *seen);
		return NULL;
	}
	if (v->first_op_line) {
		parse_error(sc, error,
			    "%s must come before the first operation (line %" G_GUINT64_FORMAT ")",
			    name, v->first_op_line);
		return NULL;
	}
	*seen = sc->line;

	if (seen == &v->cores_line) {
		uint64_t n = 0;
		const char *q = skip_blanks(e);
		if (!(e = parse_number(sc, q, &n, "a core count", error)))
			return NULL;
		if (n < 1 || n > WL_MAX_CORES) {
			g_autofree char *shown = show_token(q);
			parse_error(sc, error, "expected a core count from 1 to %d, found %s",
				    WL_MAX_CORES, shown);
			return NULL;
		}
		v->info.declared_cores = (unsigned)n;
		return end_of_line(sc, e, error);
	}
	/* %name: the rest of the line up to a comment, blanks trimmed. */
	const char *q = skip_blanks(e);
	const char *ne = q;
	while (*ne != '\n' && *ne != '#')
		ne++;
	while (ne > q && delim[UC(ne - 1)] == D_BLANK)
		ne--;
	if (ne == q) {
		parse_error(sc, error, "expected a name after %%name, found end of line");
		return NULL;
	}
	if (!g_utf8_validate(q, ne - q, NULL)) {
		parse_error(sc, error, "expected a name in UTF-8, found other bytes");
		return NULL;
	}
	v->info.name = g_strndup(q, (gsize)(ne - q));
	return (const char *)memchr(ne, '\n', (size_t)(sc->lim - ne)) + 1;
}

/* Fixes the core count when the first operation arrives: every directive
 * that could set it comes before. */
static void validate_first_op(Validator *v, const char *line_start)
{
	Scanner *sc = &v->sc;

	v->first_op_line = sc->line;
	v->wl->all.first_line = sc->line;
	v->wl->all.first_off = sc->base + (uint64_t)(line_start - sc->buf);
	if (v->limits->cores) {
		sc->core_limit = v->limits->cores;
		sc->core_counted = TRUE;
	} else if (v->info.declared_cores) {
		sc->core_limit = v->info.declared_cores;
		sc->core_counted = TRUE;
	}
}

static gboolean address_error(Validator *v, const WlOp *op, const char *tok, GError **error)
{
	const Scanner *sc = &v->sc;
	g_autofree char *shown = show_token(tok);

	if (op->reg != WL_NO_REG) {
		g_assert(op->addr & 7);
		parse_error(sc, error, "expected an 8-byte aligned offset, found %s", shown);
	} else if (op->addr & 7) {
		parse_error(sc, error, "expected an 8-byte aligned address, found %s", shown);
	} else if (v->limits->mem_size && op->addr >= v->limits->mem_size) {
		parse_error(sc, error,
			    "expected an address below 0x%" G_GINT64_MODIFIER
			    "x (the end of physical memory), found %s",
			    v->limits->mem_size, shown);
	} else {
		g_assert(v->limits->kernel_base && op->addr >= v->limits->kernel_base);
		parse_error(sc, error,
			    "address %s is in the kernel allocator's region (0x%" G_GINT64_MODIFIER
			    "x and up): plain addresses must be below it; its pages are reached "
			    "through a register that alloc filled",
			    shown, v->limits->kernel_base);
	}
	return FALSE;
}

static gboolean register_unheld(Validator *v, const WlOp *op, GError **error)
{
	uint32_t freed = v->freed_line[op->core][op->reg];

	if (freed)
		parse_error(&v->sc, error,
			    "register r%u of core %u holds no page: it was freed on line %u",
			    op->reg, op->core, freed);
	else
		parse_error(&v->sc, error,
			    "register r%u of core %u holds no page: no earlier alloc into it",
			    op->reg, op->core);
	return FALSE;
}

/* Whether register r of core c holds a page.  Off the hot path: called
 * only when its bit in held[] is clear. */
static G_GNUC_NO_INLINE gboolean register_assumed(Validator *v, unsigned c, unsigned r)
{
	if (!v->cont || (v->known[c] >> r & 1))
		return FALSE;
	v->known[c] |= (uint16_t)(1u << r);
	v->need[c] |= (uint16_t)(1u << r);
	v->held[c] |= (uint16_t)(1u << r);
	return TRUE;
}

/* The operations that take an ADDR operand. */
#define ADDR_KINDS                                                                                 \
	(1u << WL_OP_LD | 1u << WL_OP_ST | 1u << WL_OP_RMW | 1u << WL_OP_LOCK | 1u << WL_OP_UNLOCK)

/* The checks of validate_op() for the rarer operations. */
static gboolean validate_other_op(Validator *v, const WlOp *op, GError **error)
{
	unsigned c = op->core;

	switch (op->kind) {
	case WL_OP_ALLOC:
		v->held[c] |= (uint16_t)(1u << op->reg);
		v->known[c] |= (uint16_t)(1u << op->reg);
		v->info.uses_alloc = TRUE;
		break;
	case WL_OP_FREE:
	case WL_OP_LOCK_PAGE:
	case WL_OP_UNLOCK_PAGE:
		if (!(v->held[c] >> op->reg & 1) && !register_assumed(v, c, op->reg))
			return register_unheld(v, op, error);
		if (op->kind == WL_OP_FREE) {
			v->held[c] &= (uint16_t) ~(1u << op->reg);
			v->freed_line[c][op->reg] = op->line;
		}
		if (op->kind == WL_OP_LOCK_PAGE)
			v->info.uses_lock = TRUE;
		v->info.uses_alloc = TRUE;
		break;
	case WL_OP_BARRIER:
		v->info.uses_barrier = TRUE;
		break;
	case WL_OP_COMPUTE:
		break;
	default:
		g_assert_not_reached();
	}
	return TRUE;
}

/* The checks on one parsed operation that need the file's context.  Loads
 * and stores, in random order in most traces, share one branch: a switch
 * here would be an indirect jump mispredicted on every other line. */
static inline gboolean validate_op(Validator *v, const WlOp *op, const char *addr_tok,
				   GError **error)
{
	unsigned c = op->core;
	Span *s = &v->span[c];

	if (G_UNLIKELY(!s->first_line)) {
		s->first_line = op->line;
		/* sc->pos is still the start of this line. */
		s->first_off = v->sc.base + (uint64_t)(v->sc.pos - v->sc.buf);
	}
	s->last_line = op->line;
	v->info.ops_per_core[c]++;
	v->info.ops_of_kind[op->kind]++;
	v->max_core = MAX(v->max_core, c);

	if (G_UNLIKELY(!(ADDR_KINDS >> op->kind & 1)))
		return validate_other_op(v, op, error);
	if (G_LIKELY(op->reg == WL_NO_REG)) {
		if (G_UNLIKELY((op->addr & 7) || op->addr >= v->addr_limit))
			return address_error(v, op, addr_tok, error);
	} else {
		if (G_UNLIKELY(op->addr & 7))
			return address_error(v, op, addr_tok, error);
		if (G_UNLIKELY(!(v->held[c] >> op->reg & 1)) && !register_assumed(v, c, op->reg))
			return register_unheld(v, op, error);
		v->info.uses_alloc = TRUE;
	}
	if (G_UNLIKELY(op->kind == WL_OP_LOCK))
		v->info.uses_lock = TRUE;
	return TRUE;
}

static gboolean validate_stream(Validator *v, GError **error)
{
	Scanner *sc = &v->sc;
	WlOp op;
	const char *addr_tok;

	for (;;) {
		if (sc->pos == sc->lim) {
			int k = scanner_fill(sc, error);
			if (k < 0)
				return FALSE;
			if (k == 0)
				break;
		}
		const char *p = skip_blanks(sc->pos);
		const char *next;
		if (G_LIKELY((unsigned)UC(p) - '0' <= 9 && v->first_op_line)) {
			next = parse_op(sc, p, &op, &addr_tok, error);
			if (G_UNLIKELY(!next) || G_UNLIKELY(!validate_op(v, &op, addr_tok, error)))
				return FALSE;
		} else if (*p == '\n') {
			next = p + 1;
		} else if (*p == '#') {
			next = (const char *)memchr(p, '\n', (size_t)(sc->lim - p)) + 1;
		} else if ((unsigned)UC(p) - '0' <= 9 && v->header_line) {
			validate_first_op(v, sc->pos);
			continue; /* parse it on the fast path */
		} else {
			next = validate_other_line(v, p, error);
			if (!next)
				return FALSE;
		}
		sc->pos = next;
		sc->line++;
	}
	if (!v->header_line) {
		sc->line = MAX(sc->line - 1, 1);
		parse_error(sc, error,
			    "expected the header '%%labyrinth-workload 1', found end of file");
		return FALSE;
	}
	return TRUE;
}

/* Files at least this big are validated in two halves, one per thread:
 * below it, the second thread costs more than it saves. */
#ifndef WL_SPLIT_MIN
#define WL_SPLIT_MIN (8u << 20)
#endif

static void validator_init(Validator *v, WlFile *wl, const WlLimits *limits)
{
	memset(v, 0, sizeof(*v));
	v->wl = wl;
	v->limits = limits;
	v->span = wl->span;
	v->addr_limit = MIN(limits->mem_size ? limits->mem_size : UINT64_MAX,
			    limits->kernel_base ? limits->kernel_base : UINT64_MAX);
}

/* Where to split wl for two threads: just after the first '\n' at or after
 * the middle of the file; 0 when there is none to use. */
static uint64_t find_split(WlFile *wl)
{
	uint64_t mid = wl->stamp.size / 2;
	FileStamp stamp;
	g_autoptr(GInputStream) in = open_stream(wl->path, FALSE, mid, &stamp, NULL);
	char buf[4096];

	if (!in || stamp.size != wl->stamp.size || stamp.mtime_us != wl->stamp.mtime_us)
		return 0;
	for (uint64_t off = mid; off - mid < WL_MAX_LINE;) {
		gsize n = 0;
		if (!g_input_stream_read_all(in, buf, sizeof(buf), &n, NULL, NULL) || n == 0)
			return 0;
		const char *nl = memchr(buf, '\n', n);
		if (nl) {
			uint64_t split = off + (uint64_t)(nl - buf) + 1;
			return split < wl->stamp.size ? split : 0;
		}
		off += n;
	}
	return 0;
}

typedef struct {
	Validator *v;
	gboolean ok;
	GError *err;
} Half;

static gpointer validate_half(gpointer data)
{
	Half *h = data;

	h->ok = validate_stream(h->v, &h->err);
	return NULL;
}

/* Adds what the second half b learned to the first half a, which read the
 * file up to where b starts.  FALSE when b depends on the first half in a
 * way that makes the file fail (or that the merge cannot judge): the
 * caller then validates the whole file again in one pass, which finds the
 * error and reports it exactly as always. */
static gboolean merge_halves(Validator *a, const Validator *b, const Span *bspan)
{
	uint64_t off = a->sc.line - 1; /* lines in a's half */
	uint64_t b_last = 0;

	/* Without an operation in a's half, a '%' line in b's could be legal
	 * (b rejects them all), and the core limit is unknown. */
	if (!a->first_op_line)
		return FALSE;
	for (unsigned c = 0; c < WL_MAX_CORES; c++) {
		b_last = MAX(b_last, bspan[c].last_line);
		/* A register b used before allocating it must hold a page where
		 * a's half ends. */
		if (b->need[c] & ~a->held[c])
			return FALSE;
	}
	/* b checked core ids against WL_MAX_CORES and line numbers relative
	 * to its start. */
	if (b_last && (b->max_core >= a->sc.core_limit || b_last + off > UINT32_MAX))
		return FALSE;

	for (unsigned c = 0; c < WL_MAX_CORES; c++) {
		Span *s = &a->span[c];
		if (bspan[c].first_line) {
			if (!s->first_line) {
				s->first_line = bspan[c].first_line + off;
				s->first_off = bspan[c].first_off;
			}
			s->last_line = bspan[c].last_line + off;
		}
		a->info.ops_per_core[c] += b->info.ops_per_core[c];
	}
	for (unsigned k = 0; k < WL_N_OPS; k++)
		a->info.ops_of_kind[k] += b->info.ops_of_kind[k];
	a->info.uses_lock |= b->info.uses_lock;
	a->info.uses_barrier |= b->info.uses_barrier;
	a->info.uses_alloc |= b->info.uses_alloc;
	if (b_last)
		a->max_core = MAX(a->max_core, b->max_core);
	return TRUE;
}

/* Validates [0, split) of in into a on this thread and [split, end) on
 * another, then merges.  Consumes in.  FALSE when the file must be
 * validated in one pass instead: an error anywhere (only the one pass is
 * sure to report the first one, worded as always), or anything the merge
 * cannot decide. */
static gboolean validate_split(Validator *a, GInputStream *in, uint64_t split)
{
	WlFile *wl = a->wl;
	g_autofree Validator *b = g_new0(Validator, 1);
	g_autofree Span *bspan = g_new0(Span, WL_MAX_CORES);
	FileStamp stamp;
	GInputStream *bin = open_stream(wl->path, FALSE, split, &stamp, NULL);

	if (!bin || stamp.size != wl->stamp.size || stamp.mtime_us != wl->stamp.mtime_us) {
		g_clear_object(&bin);
		g_object_unref(in);
		return FALSE;
	}
	scanner_init(&a->sc, in, wl->path, WL_BLOCK, 0, 1);
	a->sc.stop = split;

	/* b starts after the header and the first operation, as if a had
	 * read them; the merge checks that it did. */
	validator_init(b, wl, a->limits);
	b->span = bspan;
	b->cont = TRUE;
	b->header_line = 1;
	b->first_op_line = 1;
	scanner_init(&b->sc, bin, wl->path, WL_BLOCK, split, 1);

	Half hb = {.v = b};
	GThread *t = g_thread_try_new("wl-validate", validate_half, &hb, NULL);
	if (!t)
		validate_half(&hb);
	g_autoptr(GError) aerr = NULL;
	gboolean ok = validate_stream(a, &aerr);
	if (t)
		g_thread_join(t);
	scanner_clear(&a->sc);
	scanner_clear(&b->sc);
	g_clear_error(&hb.err);
	g_free(b->info.name);
	return ok && hb.ok && merge_halves(a, b, bspan);
}

/* LABYRINTH_SEQUENTIAL_VALIDATE=1 turns the split off (read on every call,
 * so that tests can compare both ways). */
static gboolean split_allowed(void)
{
	return g_strcmp0(g_getenv("LABYRINTH_SEQUENTIAL_VALIDATE"), "1") != 0;
}

gboolean wl_validate(WlFile *wl, const WlLimits *limits, WlInfo *info, GError **error)
{
	static const WlLimits no_limits = {0};
	g_autofree Validator *v = g_new0(Validator, 1);
	GError *err = NULL;

	g_return_val_if_fail(wl && info, FALSE);
	memset(info, 0, sizeof(*info));
	if (!limits)
		limits = &no_limits;
	if (limits->cores > WL_MAX_CORES) {
		g_set_error(error, WL_ERROR, WL_ERROR_PARSE,
			    "%s: %u cores asked for; at most %d are possible", wl->path,
			    limits->cores, WL_MAX_CORES);
		return FALSE;
	}
	wl->validated = FALSE;
	wl->all = (Span){0};
	memset(wl->span, 0, sizeof(wl->span));

	validator_init(v, wl, limits);
	GInputStream *in = open_stream(wl->path, wl->gz, 0, &wl->stamp, error);
	if (!in)
		return FALSE;

	/* A large uncompressed file: two halves at once, when that works. */
	uint64_t split = 0;
	if (!wl->gz && wl->stamp.size >= WL_SPLIT_MIN && split_allowed())
		split = find_split(wl);
	if (split && !validate_split(v, in, split)) {
		g_free(v->info.name);
		validator_init(v, wl, limits);
		wl->all = (Span){0};
		memset(wl->span, 0, sizeof(wl->span));
		split = 0;
		if (!(in = open_stream(wl->path, wl->gz, 0, &wl->stamp, error)))
			return FALSE;
	} else if (split) {
		in = NULL; /* validated in halves */
	}
	if (in) {
		scanner_init(&v->sc, in, wl->path, WL_BLOCK, 0, 1);
		gboolean ok = validate_stream(v, &err);
		scanner_clear(&v->sc);
		if (!ok) {
			g_free(v->info.name);
			g_propagate_error(error, err);
			return FALSE;
		}
	}

	WlInfo *vi = &v->info;
	for (unsigned k = 0; k < WL_N_OPS; k++)
		vi->operations += vi->ops_of_kind[k];
	if (limits->cores)
		vi->cores = limits->cores;
	else if (vi->declared_cores)
		vi->cores = vi->declared_cores;
	else
		vi->cores = vi->operations ? v->max_core + 1 : 1;
	for (unsigned c = 0; c < WL_MAX_CORES; c++)
		wl->all.last_line = MAX(wl->all.last_line, wl->span[c].last_line);
	wl->cores = vi->cores;
	wl->validated = TRUE;
	*info = *vi;
	return TRUE;
}

void wl_info_clear(WlInfo *info)
{
	g_clear_pointer(&info->name, g_free);
}

/* ------------------------------------------------------------------------
 * Files and cursors.
 */

WlFile *wl_open(const char *path, GError **error)
{
	FileStamp stamp;
	g_autoptr(GInputStream) in = open_stream(path, FALSE, 0, &stamp, error);

	if (!in)
		return NULL;
	WlFile *wl = g_new0(WlFile, 1);
	wl->path = g_strdup(path);
	wl->gz = g_str_has_suffix(path, ".gz");
	return wl;
}

void wl_free(WlFile *wl)
{
	if (!wl)
		return;
	g_free(wl->path);
	g_free(wl);
}

const char *wl_path(const WlFile *wl)
{
	return wl->path;
}

struct WlCursor {
	char *path;
	int core;	    /* the core whose operations it returns, or -1 for all */
	uint64_t last_line; /* ends after this line */
	gboolean done;	    /* at the end; the scanner is closed */
	Scanner sc;
};

WlCursor *wl_cursor_new(WlFile *wl, int core, GError **error)
{
	g_return_val_if_fail(wl && wl->validated, NULL);
	g_return_val_if_fail(core >= -1 && core < (int)wl->cores, NULL);

	g_autoptr(WlCursor) cur = g_new0(WlCursor, 1);
	const Span *span = core < 0 ? &wl->all : &wl->span[core];
	cur->path = g_strdup(wl->path);
	cur->core = core;
	cur->last_line = span->last_line;
	if (!span->first_line) {
		cur->done = TRUE; /* no operations: nothing to open */
		return g_steal_pointer(&cur);
	}

	/* Seek to the first operation where the file allows it. */
	uint64_t off = wl->gz ? 0 : span->first_off;
	uint64_t line = wl->gz ? 1 : span->first_line;
	FileStamp stamp;
	GInputStream *in = open_stream(wl->path, wl->gz, off, &stamp, error);
	if (!in)
		return NULL;
	if (stamp.size != wl->stamp.size || stamp.mtime_us != wl->stamp.mtime_us) {
		g_object_unref(in);
		g_set_error(error, WL_ERROR, WL_ERROR_OPEN,
			    "%s: the file changed after it was validated", wl->path);
		return NULL;
	}
	size_t cap = WL_BLOCK;
	if (core >= 0)
		cap = CLAMP(WL_CURSOR_BUDGET / wl->cores, WL_MIN_BLOCK, WL_BLOCK);
	scanner_init(&cur->sc, in, cur->path, cap, off, line);
	cur->sc.core_limit = wl->cores;
	cur->sc.core_counted = TRUE;
	return g_steal_pointer(&cur);
}

static void cursor_finish(WlCursor *cur)
{
	cur->done = TRUE;
	scanner_clear(&cur->sc);
}

int wl_cursor_next(WlCursor *cur, WlOp *op, GError **error)
{
	Scanner *sc = &cur->sc;
	const char *addr_tok;

	if (cur->done)
		return 0;
	for (;;) {
		if (sc->pos == sc->lim) {
			int k = scanner_fill(sc, error);
			if (k <= 0) {
				cursor_finish(cur);
				return k;
			}
		}
		if (sc->line > cur->last_line) {
			cursor_finish(cur);
			return 0;
		}
		const char *p = skip_blanks(sc->pos);
		if (G_LIKELY((unsigned)UC(p) - '0' <= 9)) {
			if (cur->core >= 0) {
				/* Another core's line costs a number and a memchr. */
				const char *q = p;
				uint64_t c;
				if (scan_number(&q, &c) == NUM_OK && c != (uint64_t)cur->core) {
					sc->pos = (const char *)memchr(q, '\n',
								       (size_t)(sc->lim - q)) +
						  1;
					sc->line++;
					continue;
				}
			}
			const char *next = parse_op(sc, p, op, &addr_tok, error);
			if (G_UNLIKELY(!next)) {
				cursor_finish(cur);
				return -1;
			}
			sc->pos = next;
			sc->line++;
			return 1;
		}
		/* Blank, comment, header or directive: validation checked them. */
		sc->pos = (const char *)memchr(p, '\n', (size_t)(sc->lim - p)) + 1;
		sc->line++;
	}
}

void wl_cursor_free(WlCursor *cur)
{
	if (!cur)
		return;
	scanner_clear(&cur->sc);
	g_free(cur->path);
	g_free(cur);
}
