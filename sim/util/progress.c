/* progress.c - the terminal progress line; see progress.h.  Redrawn at
 * most four times a second: done, rate and the estimated time left. */
#include <glib.h>
#include <stdio.h>
#include <unistd.h>

#include "progress.h"

struct Progress {
	const char *what;
	uint64_t total;
	int enabled;   /* stderr is a terminal */
	int drawn;     /* a line is on the screen */
	gint64 start;  /* monotonic microseconds */
	gint64 last_draw;
};

Progress *progress_new(const char *what, uint64_t total)
{
	Progress *p = g_new0(Progress, 1);
	p->what = what;
	p->total = total;
	p->enabled = isatty(STDERR_FILENO);
	p->start = p->last_draw = g_get_monotonic_time();
	return p;
}

void progress_update(Progress *p, uint64_t done)
{
	if (!p || !p->enabled)
		return;
	gint64 now = g_get_monotonic_time();
	if (now - p->start < G_USEC_PER_SEC || now - p->last_draw < G_USEC_PER_SEC / 4)
		return;
	p->last_draw = now;
	double secs = (double)(now - p->start) / G_USEC_PER_SEC;
	double rate = done / secs;
	if (p->total && done <= p->total) {
		double left = rate > 0 ? (p->total - done) / rate : 0;
		fprintf(stderr, "\r%llu/%llu %s (%.0f%%), %.2f M/s, %.0f s left   ",
			(unsigned long long)done, (unsigned long long)p->total, p->what,
			100.0 * done / p->total, rate / 1e6, left);
	} else {
		fprintf(stderr, "\r%llu %s, %.2f M/s   ", (unsigned long long)done, p->what,
			rate / 1e6);
	}
	p->drawn = 1;
}

void progress_free(Progress *p)
{
	if (!p)
		return;
	if (p->drawn)
		fprintf(stderr, "\r\033[K");
	g_free(p);
}
