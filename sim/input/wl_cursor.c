/* wl_cursor.c - cursors over a validated workload: each streams the
 * operations of one core, or of all cores in file order, through its own
 * scanner, seeking to the first operation where the file allows it and
 * stopping after the last one that validation recorded.  A per-core cursor
 * skips other cores' lines after reading only their core number.
 */
#include "wl_lex.h"

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
	GInputStream *in = wl_open_stream(wl->path, wl->gz, off, &stamp, error);
	if (!in)
		return NULL;
	if (!wl_stamp_same(&stamp, &wl->stamp)) {
		g_object_unref(in);
		g_set_error(error, WL_ERROR, WL_ERROR_OPEN,
			    "%s: the file changed after it was validated", wl->path);
		return NULL;
	}
	size_t cap = WL_BLOCK;
	if (core >= 0)
		cap = CLAMP(WL_CURSOR_BUDGET / wl->cores, WL_MIN_BLOCK, WL_BLOCK);
	wl_scanner_init(&cur->sc, in, cur->path, cap, off, line);
	cur->sc.core_limit = wl->cores;
	cur->sc.core_counted = TRUE;
	return g_steal_pointer(&cur);
}

static void cursor_finish(WlCursor *cur)
{
	cur->done = TRUE;
	wl_scanner_clear(&cur->sc);
}

int wl_cursor_next(WlCursor *cur, WlOp *op, GError **error)
{
	Scanner *sc = &cur->sc;
	const char *addr_tok;

	if (cur->done)
		return 0;
	for (;;) {
		if (sc->pos == sc->lim) {
			int k = wl_scanner_fill(sc, error);
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
	wl_scanner_clear(&cur->sc);
	g_free(cur->path);
	g_free(cur);
}
