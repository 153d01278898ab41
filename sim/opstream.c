/* opstream.c - per-core operation queues over one shared pass; see
 * opstream.h.  A core's queue is, oldest first: the ring in memory, then
 * the spill file's unread part, then the spill write buffer.  An operation
 * goes into the ring only while the other two are empty, so order is kept;
 * when the ring runs dry it is refilled from the file, then from the
 * buffer.  A file drained to its end is reused from offset 0.
 */
#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "opstream.h"

typedef struct {
	WlOp *ring; /* OPSTREAM_RING entries */
	unsigned head, count;
	WlOp *wbuf; /* OPSTREAM_SPILL entries, allocated on first spill */
	unsigned wcount;
	int fd;               /* spill file, -1 until needed */
	uint64_t read_off;    /* in operations */
	uint64_t write_off;   /* in operations */
} CoreQueue;

struct OpStreams {
	unsigned n;
	WlCursor *shared; /* NULL once at the end of the file */
	CoreQueue *q;
	uint64_t spilled;
};

OpStreams *opstreams_new(WlFile *wl, unsigned n_cores, GError **error)
{
	WlCursor *shared = wl_cursor_new(wl, -1, error);
	if (!shared)
		return NULL;
	OpStreams *s = g_new0(OpStreams, 1);
	s->n = n_cores;
	s->shared = shared;
	s->q = g_new0(CoreQueue, n_cores);
	for (unsigned c = 0; c < n_cores; c++) {
		s->q[c].ring = g_new(WlOp, OPSTREAM_RING);
		s->q[c].fd = -1;
	}
	return s;
}

void opstreams_free(OpStreams *s)
{
	if (!s)
		return;
	for (unsigned c = 0; c < s->n; c++) {
		g_free(s->q[c].ring);
		g_free(s->q[c].wbuf);
		if (s->q[c].fd >= 0)
			close(s->q[c].fd);
	}
	g_free(s->q);
	wl_cursor_free(s->shared);
	g_free(s);
}

uint64_t opstreams_spilled(const OpStreams *s)
{
	return s->spilled;
}

static gboolean io_error(GError **error, const char *what, int e)
{
	g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e),
		    "cannot %s the temporary file of queued operations: %s", what, g_strerror(e));
	return FALSE;
}

/* Writes the spill buffer at the end of the spill file. */
static gboolean flush_spill(CoreQueue *q, GError **error)
{
	if (q->fd < 0) {
		char *path = NULL;
		q->fd = g_file_open_tmp("labyrinth-ops-XXXXXX", &path, error);
		if (q->fd < 0)
			return FALSE;
		g_unlink(path); /* gone when closed, whatever happens */
		g_free(path);
	}
	const char *p = (const char *)q->wbuf;
	size_t len = (size_t)q->wcount * sizeof(WlOp);
	off_t off = (off_t)(q->write_off * sizeof(WlOp));
	while (len > 0) {
		ssize_t n = pwrite(q->fd, p, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return io_error(error, "write", errno);
		p += n;
		len -= (size_t)n;
		off += n;
	}
	q->write_off += q->wcount;
	q->wcount = 0;
	return TRUE;
}

static gboolean push(OpStreams *s, CoreQueue *q, const WlOp *op, GError **error)
{
	if (q->count < OPSTREAM_RING && q->read_off == q->write_off && q->wcount == 0) {
		q->ring[(q->head + q->count) % OPSTREAM_RING] = *op;
		q->count++;
		return TRUE;
	}
	if (!q->wbuf)
		q->wbuf = g_new(WlOp, OPSTREAM_SPILL);
	q->wbuf[q->wcount++] = *op;
	s->spilled++;
	return q->wcount < OPSTREAM_SPILL || flush_spill(q, error);
}

/* Refills the empty ring from the spill file, or else the spill buffer. */
static gboolean refill(CoreQueue *q, GError **error)
{
	g_assert(q->count == 0);
	q->head = 0;
	if (q->read_off < q->write_off) {
		uint64_t want = MIN(q->write_off - q->read_off, OPSTREAM_RING);
		char *p = (char *)q->ring;
		size_t len = (size_t)want * sizeof(WlOp);
		off_t off = (off_t)(q->read_off * sizeof(WlOp));
		while (len > 0) {
			ssize_t n = pread(q->fd, p, len, off);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return io_error(error, "read", n < 0 ? errno : EIO);
			p += n;
			len -= (size_t)n;
			off += n;
		}
		q->count = (unsigned)want;
		q->read_off += want;
		if (q->read_off == q->write_off)
			q->read_off = q->write_off = 0; /* drained: start over */
		return TRUE;
	}
	memcpy(q->ring, q->wbuf, q->wcount * sizeof(WlOp));
	q->count = q->wcount;
	q->wcount = 0;
	return TRUE;
}

/* Reads the shared cursor until it yields an operation of core want,
 * queueing the others' on the way. */
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
		if (op->core == want)
			return 1;
		if (!push(s, &s->q[op->core], op, error))
			return -1;
	}
	return 0;
}

int opstreams_next(OpStreams *s, unsigned core, WlOp *op, GError **error)
{
	g_assert(core < s->n);
	CoreQueue *q = &s->q[core];
	if (q->count == 0) {
		if (q->read_off == q->write_off && q->wcount == 0)
			return read_shared(s, core, op, error);
		if (!refill(q, error))
			return -1;
	}
	*op = q->ring[q->head];
	q->head = (q->head + 1) % OPSTREAM_RING;
	q->count--;
	return 1;
}
