/* eventq.c - binary min-heap of events; see eventq.h. */
#include <glib.h>

#include "eventq.h"

struct EventQueue {
	Event *heap;
	unsigned n, cap;
	uint64_t next_seq;
};

EventQueue *eventq_new(void)
{
	EventQueue *q = g_new0(EventQueue, 1);
	q->cap = 64;
	q->heap = g_new(Event, q->cap);
	return q;
}

void eventq_free(EventQueue *q)
{
	if (!q)
		return;
	g_free(q->heap);
	g_free(q);
}

static inline int before(const Event *a, const Event *b)
{
	if (a->cycle != b->cycle)
		return a->cycle < b->cycle;
	if (a->phase != b->phase)
		return a->phase < b->phase;
	return a->seq < b->seq;
}

void eventq_push(EventQueue *q, uint64_t cycle, uint8_t phase, uint8_t type, uint16_t core)
{
	if (q->n == q->cap) {
		q->cap *= 2;
		q->heap = g_renew(Event, q->heap, q->cap);
	}
	Event ev = { cycle, q->next_seq++, phase, type, core };
	unsigned i = q->n++;
	while (i > 0) {
		unsigned parent = (i - 1) / 2;
		if (!before(&ev, &q->heap[parent]))
			break;
		q->heap[i] = q->heap[parent];
		i = parent;
	}
	q->heap[i] = ev;
}

int eventq_pop(EventQueue *q, Event *ev)
{
	if (q->n == 0)
		return 0;
	*ev = q->heap[0];
	Event last = q->heap[--q->n];
	unsigned i = 0;
	for (;;) {
		unsigned l = 2 * i + 1, r = l + 1, m = i;
		const Event *best = &last;
		if (l < q->n && before(&q->heap[l], best)) {
			m = l;
			best = &q->heap[l];
		}
		if (r < q->n && before(&q->heap[r], best))
			m = r;
		if (m == i)
			break;
		q->heap[i] = q->heap[m];
		i = m;
	}
	q->heap[i] = last;
	return 1;
}

unsigned eventq_size(const EventQueue *q)
{
	return q->n;
}
