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

/* The shared cursor runs in a thread of its own, one batch of operations
 * ahead, so that parsing the file overlaps simulating it.  Batches cycle
 * between two queues: empty ones to the reader, full ones to the engine.
 * The sequence of operations is the file's whatever the timing of the two
 * threads, so results do not depend on it. */
#define BATCH_OPS 4096
#define N_BATCHES 16 /* 3 MiB; with 4 the two threads kept waking each other */

typedef struct {
	WlOp ops[BATCH_OPS];
	unsigned n;
	gboolean end;  /* the file ends after these */
	GError *error; /* reading failed after these */
} Batch;

struct OpStreams {
	unsigned n;
	CoreQueue *q;
	uint64_t spilled;
	/* the reader thread and its batches */
	WlCursor *shared;
	GThread *reader;
	GAsyncQueue *empty, *full;
	gint stop;
	Batch *cur;    /* the batch being consumed, or NULL */
	unsigned next; /* its next operation */
	gboolean ended;
	Batch *batches[N_BATCHES];
};

static gpointer reader_main(gpointer data)
{
	OpStreams *s = data;
	for (;;) {
		Batch *b = g_async_queue_pop(s->empty);
		if (g_atomic_int_get(&s->stop))
			break;
		b->n = 0;
		b->end = FALSE;
		while (b->n < BATCH_OPS) {
			int got = wl_cursor_next(s->shared, &b->ops[b->n], &b->error);
			if (got <= 0) {
				b->end = TRUE;
				break;
			}
			b->n++;
		}
		gboolean last = b->end;
		g_async_queue_push(s->full, b);
		if (last)
			break;
	}
	return NULL;
}

/* The next operation of the file, in file order: 1, 0 at the end, -1. */
static int shared_next(OpStreams *s, WlOp *op, GError **error)
{
	for (;;) {
		if (s->cur && s->next < s->cur->n) {
			*op = s->cur->ops[s->next++];
			return 1;
		}
		if (s->cur) {
			Batch *b = s->cur;
			s->cur = NULL;
			if (b->error) {
				g_propagate_error(error, b->error);
				b->error = NULL;
				s->ended = TRUE;
				g_async_queue_push(s->empty, b);
				return -1;
			}
			if (b->end)
				s->ended = TRUE;
			g_async_queue_push(s->empty, b);
		}
		if (s->ended)
			return 0;
		s->cur = g_async_queue_pop(s->full);
		s->next = 0;
	}
}

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
	s->empty = g_async_queue_new();
	s->full = g_async_queue_new();
	for (unsigned i = 0; i < N_BATCHES; i++) {
		s->batches[i] = g_new0(Batch, 1);
		g_async_queue_push(s->empty, s->batches[i]);
	}
	s->reader = g_thread_new("labyrinth-reader", reader_main, s);
	return s;
}

void opstreams_free(OpStreams *s)
{
	if (!s)
		return;
	/* Stop the reader: it waits for an empty batch, or has finished. */
	g_atomic_int_set(&s->stop, 1);
	g_async_queue_push(s->empty, s->batches[0]); /* any pointer wakes it */
	g_thread_join(s->reader);
	for (unsigned i = 0; i < N_BATCHES; i++) {
		g_clear_error(&s->batches[i]->error);
		g_free(s->batches[i]);
	}
	g_async_queue_unref(s->empty);
	g_async_queue_unref(s->full);
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
	for (;;) {
		int got = shared_next(s, op, error);
		if (got <= 0)
			return got;
		g_assert(op->core < s->n);
		if (op->core == want)
			return 1;
		if (!push(s, &s->q[op->core], op, error))
			return -1;
	}
}

int opstreams_next_any(OpStreams *s, WlOp *op, GError **error)
{
	return shared_next(s, op, error);
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
