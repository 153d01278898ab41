/* wl_scan.c - the workload reader's block scanner: a stream read in blocks
 * of WL_BLOCK bytes into one buffer that always ends in whole lines (the
 * partial line at the end moves to the front before the next read), and
 * the "PATH:LINE: message" errors of the line being parsed.
 */
#include "wl_priv.h"

void wl_scanner_init(Scanner *sc, GInputStream *in, const char *path, size_t cap, uint64_t base,
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

void wl_scanner_clear(Scanner *sc)
{
	g_clear_object(&sc->in);
	g_clear_pointer(&sc->buf, g_free);
	sc->pos = sc->lim = sc->end = NULL;
}

void wl_parse_error(const Scanner *sc, GError **error, const char *fmt, ...)
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
int wl_scanner_fill(Scanner *sc, GError **error)
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
				wl_parse_error(sc, error, "line longer than %u MiB",
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
						  : wl_io_reason(err);
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
