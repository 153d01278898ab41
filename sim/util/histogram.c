/* histogram.c - log-linear latency histogram; see histogram.h.
 *
 * Bucket layout: values 0..255 have a bucket each.  Above that, each power
 * of two [2^k, 2^(k+1)) is split into 128 equal sub-buckets, so the bucket
 * width is at most 1/128 of the value.  A quantile reports the upper end of
 * its bucket, never under-stating a latency (except the exact maximum,
 * which is kept on the side and used for the top bucket).
 */
#include <glib.h>
#include <math.h>

#include "histogram.h"

#define EXACT 256
#define SUB_BITS 7
#define SUB (1u << SUB_BITS)
#define N_BUCKETS (EXACT + (64 - 8) * SUB)

struct Histogram {
	uint64_t count, sum, max;
	uint64_t buckets[N_BUCKETS];
};

Histogram *hist_new(void)
{
	return g_new0(Histogram, 1);
}

Histogram *hist_copy(const Histogram *h)
{
	return g_memdup2(h, sizeof *h);
}

void hist_free(Histogram *h)
{
	g_free(h);
}

static unsigned bucket_of(uint64_t v)
{
	if (v < EXACT)
		return (unsigned)v;
	unsigned k = 63 - (unsigned)__builtin_clzll(v); /* 2^k <= v, k >= 8 */
	unsigned sub = (unsigned)((v >> (k - SUB_BITS)) & (SUB - 1));
	return EXACT + (k - 8) * SUB + sub;
}

/* The largest value that falls in bucket b. */
static uint64_t bucket_top(unsigned b)
{
	if (b < EXACT)
		return b;
	unsigned k = (b - EXACT) / SUB + 8, sub = (b - EXACT) % SUB;
	uint64_t base = (UINT64_C(1) << k) + ((uint64_t)sub << (k - SUB_BITS));
	return base + (UINT64_C(1) << (k - SUB_BITS)) - 1;
}

void hist_add(Histogram *h, uint64_t value)
{
	h->buckets[bucket_of(value)]++;
	h->count++;
	h->sum += value;
	if (value > h->max)
		h->max = value;
}

uint64_t hist_count(const Histogram *h)
{
	return h->count;
}

uint64_t hist_max(const Histogram *h)
{
	return h->max;
}

uint64_t hist_sum(const Histogram *h)
{
	return h->sum;
}

double hist_mean(const Histogram *h)
{
	return h->count ? (double)h->sum / (double)h->count : 0.0;
}

uint64_t hist_quantile(const Histogram *h, double q)
{
	if (h->count == 0)
		return 0;
	uint64_t rank = (uint64_t)ceil(q * (double)h->count);
	if (rank == 0)
		rank = 1;
	uint64_t seen = 0;
	for (unsigned b = 0; b < N_BUCKETS; b++) {
		seen += h->buckets[b];
		if (seen >= rank) {
			uint64_t top = bucket_top(b);
			return top < h->max ? top : h->max;
		}
	}
	return h->max;
}
