/* histogram.h - latency distributions with exact small values and bounded
 * error for large ones (log-linear buckets, as HdrHistogram does): values
 * below 256 are kept exactly, larger ones within 1/128 relative error.
 * Memory is fixed (58 KiB) whatever the number of samples, so a
 * hundred-million-access run costs no more than a short one. */
#ifndef LABYRINTH_HISTOGRAM_H
#define LABYRINTH_HISTOGRAM_H

#include <stdint.h>

typedef struct Histogram Histogram;

Histogram *hist_new(void);
void hist_free(Histogram *h);
Histogram *hist_copy(const Histogram *h);
void hist_add(Histogram *h, uint64_t value);
uint64_t hist_count(const Histogram *h);
uint64_t hist_max(const Histogram *h);
uint64_t hist_sum(const Histogram *h);
double hist_mean(const Histogram *h); /* 0 when empty */
/* The smallest recorded bucket value v such that at least q of the samples
 * are <= v (q in [0, 1]); 0 when empty.  Exact below 256. */
uint64_t hist_quantile(const Histogram *h, double q);

#endif
