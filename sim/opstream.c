/* opstream.c - per-core operation streams over one shared pass; see
 * opstream.h.  Each core is in one of two modes:
 *   SHARED:  its operations come from its queue, refilled by the shared
 *            cursor as other cores (or it) read ahead;
 *   PRIVATE: its queue overflowed once; it drains the queue, then reads
 *            its own cursor, which skips the operations already delivered
 *            or queued (counted, since cursors yield one core's ops in
 *            file order).
 */
#include <glib.h>

#include "opstream.h"

typedef struct {
	WlOp *ring;        /* OPSTREAM_QUEUE entries */
	unsigned head, count;
	int private_mode;
	WlCursor *cur;     /* PRIVATE only */
	uint64_t taken;    /* operations of this core read so far by any cursor */
	uint64_t skip;     /* PRIVATE: operations its own cursor must skip */
} CoreStream;

struct OpStreams {
	WlFile *wl;
	unsigned n;
	WlCursor *shared;  /* NULL once at the end of the file */
	CoreStream *cores;
};

OpStreams *opstreams_new(WlFile *wl, unsigned n_cores, GError **error)
{
	WlCursor *shared = wl_cursor_new(wl, -1, error);
	if (!shared)
		return NULL;
	OpStreams *s = g_new0(OpStreams, 1);
	s->wl = wl;
	s->n = n_cores;
	s->shared = shared;
	s->cores = g_new0(CoreStream, n_cores);
	for (unsigned c = 0; c < n_cores; c++)
		s->cores[c].ring = g_new(WlOp, OPSTREAM_QUEUE);
	return s;
}

void opstreams_free(OpStreams *s)
{
	if (!s)
		return;
	for (unsigned c = 0; c < s->n; c++) {
		g_free(s->cores[c].ring);
		wl_cursor_free(s->cores[c].cur);
	}
	g_free(s->cores);
	wl_cursor_free(s->shared);
	g_free(s);
}

static void go_private(CoreStream *cs)
{
	cs->private_mode = 1;
	cs->skip = cs->taken;
}

/* Reads the shared cursor until it yields an operation of core want. */
static int read_shared(OpStreams *s, unsigned want, WlOp *op, GError **error)
{
	while (s->shared) {
		int got = wl_cursor_next(s->shared, op, error);
		if (got < 0)
			return -1;
		if (got == 0) {
			wl_cursor_free(s->shared);
			s->shared = NULL;
			break;
		}
		g_assert(op->core < s->n);
		CoreStream *cs = &s->cores[op->core];
		if (cs->private_mode)
			continue;
		cs->taken++;
		if (op->core == want)
			return 1;
		if (cs->count == OPSTREAM_QUEUE) {
			/* This core is far behind: let it read on its own. */
			cs->taken--;
			go_private(cs);
			continue;
		}
		cs->ring[(cs->head + cs->count) % OPSTREAM_QUEUE] = *op;
		cs->count++;
	}
	return 0;
}

int opstreams_next(OpStreams *s, unsigned core, WlOp *op, GError **error)
{
	g_assert(core < s->n);
	CoreStream *cs = &s->cores[core];
	if (cs->count) {
		*op = cs->ring[cs->head];
		cs->head = (cs->head + 1) % OPSTREAM_QUEUE;
		cs->count--;
		return 1;
	}
	if (!cs->private_mode)
		return read_shared(s, core, op, error);
	if (!cs->cur && !(cs->cur = wl_cursor_new(s->wl, (int)core, error)))
		return -1;
	for (;;) {
		int got = wl_cursor_next(cs->cur, op, error);
		if (got <= 0 || cs->skip == 0)
			return got;
		cs->skip--;
	}
}
