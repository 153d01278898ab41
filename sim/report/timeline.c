/* timeline.c - a timing run's activity over time (timeline.h).
 *
 * Buckets are an array indexed by cycle / width.  When a cycle falls
 * beyond TIMELINE_MAX_BUCKETS, pairs merge and the width doubles: O(n)
 * each time, O(log(run length)) times in all.  Counts add when buckets
 * merge; the free page level keeps the lower minimum and the later last
 * value.
 *
 * Per-line traffic is a hash table keyed by (line address, core): line
 * addresses are below 2^48, so line * 1024 + core (cores < 1024) fits a
 * pointer-sized integer and needs no allocation for the key.
 */
#include <inttypes.h>
#include <string.h>

#include "timeline.h"
#include "input/workload.h"
#include "util/outfile.h"

typedef struct {
	uint64_t busy;          /* cycles of the bucket the bus was held */
	uint64_t txns;          /* bus transactions issued in the bucket */
	uint64_t invalidations; /* copies invalidated in the bucket */
	uint64_t free_min, free_last; /* free pages; valid when has_free */
	gboolean has_free;
} Bucket;

typedef struct {
	uint64_t txns, invalidations;
} Traffic;

struct Timeline {
	char *path;
	unsigned n_cores;
	uint64_t width;     /* cycles per bucket */
	GArray *buckets;    /* Bucket; [k] covers [k * width, (k + 1) * width) */
	GHashTable *pairs;  /* line * WL_MAX_CORES + core -> Traffic * */
	GHashTable *lines;  /* line -> total transactions (as a pointer-sized integer) */
	const RunResult *res;
	TimingProbe probe; /* what timing mode calls: bus_busy, free_pages below */
};

/* splitmix64's finaliser: the keys differ mostly in their high bits. */
static guint key_hash(gconstpointer p)
{
	uint64_t x = (uint64_t)GPOINTER_TO_SIZE(p);
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	x ^= x >> 31;
	return (guint)x;
}

Timeline *timeline_new(const char *path, unsigned n_cores, uint64_t bucket_cycles)
{
	g_assert(bucket_cycles >= 1 && n_cores >= 1 && n_cores <= WL_MAX_CORES);
	G_STATIC_ASSERT(sizeof(gsize) >= sizeof(uint64_t));
	Timeline *tl = g_new0(Timeline, 1);
	tl->path = g_strdup(path);
	tl->n_cores = n_cores;
	tl->width = bucket_cycles;
	tl->buckets = g_array_new(FALSE, TRUE, sizeof(Bucket));
	tl->pairs = g_hash_table_new_full(key_hash, g_direct_equal, NULL, g_free);
	tl->lines = g_hash_table_new(key_hash, g_direct_equal);
	return tl;
}

void timeline_free(Timeline *tl)
{
	if (!tl)
		return;
	g_free(tl->path);
	g_array_unref(tl->buckets);
	g_hash_table_destroy(tl->pairs);
	g_hash_table_destroy(tl->lines);
	g_free(tl);
}

uint64_t timeline_bucket_cycles(const Timeline *tl)
{
	return tl->width;
}

/* Halves the number of buckets: pairs merge, the width doubles. */
static void merge_pairs(Timeline *tl)
{
	GArray *b = tl->buckets;
	guint n = (b->len + 1) / 2;
	for (guint k = 0; k < n; k++) {
		Bucket m = g_array_index(b, Bucket, 2 * k);
		if (2 * k + 1 < b->len) {
			const Bucket *hi = &g_array_index(b, Bucket, 2 * k + 1);
			m.busy += hi->busy;
			m.txns += hi->txns;
			m.invalidations += hi->invalidations;
			if (hi->has_free) {
				m.free_min = m.has_free ? MIN(m.free_min, hi->free_min) : hi->free_min;
				m.free_last = hi->free_last;
				m.has_free = TRUE;
			}
		}
		g_array_index(b, Bucket, k) = m;
	}
	g_array_set_size(b, n);
	tl->width *= 2;
}

/* The bucket holding cycle, created (zeroed) if need be. */
static Bucket *bucket_at(Timeline *tl, uint64_t cycle)
{
	while (cycle / tl->width >= TIMELINE_MAX_BUCKETS)
		merge_pairs(tl);
	guint k = (guint)(cycle / tl->width);
	if (k >= tl->buckets->len)
		g_array_set_size(tl->buckets, k + 1);
	return &g_array_index(tl->buckets, Bucket, k);
}

void timeline_bus_busy(Timeline *tl, uint64_t from, uint64_t to)
{
	g_assert(from <= to);
	while (from < to) {
		Bucket *b = bucket_at(tl, from);
		uint64_t end = MIN(to, (from / tl->width + 1) * tl->width);
		b->busy += end - from;
		from = end;
	}
}

void timeline_free_pages(Timeline *tl, uint64_t cycle, uint64_t pages)
{
	Bucket *b = bucket_at(tl, cycle);
	b->free_min = b->has_free ? MIN(b->free_min, pages) : pages;
	b->free_last = pages;
	b->has_free = TRUE;
}

static void add_pair(Timeline *tl, uint64_t line, unsigned core, uint64_t txns, uint64_t invs)
{
	gpointer key = GSIZE_TO_POINTER(line * WL_MAX_CORES + core);
	Traffic *t = g_hash_table_lookup(tl->pairs, key);
	if (!t) {
		t = g_new0(Traffic, 1);
		g_hash_table_insert(tl->pairs, key, t);
	}
	t->txns += txns;
	t->invalidations += invs;
	if (txns) {
		gpointer lk = GSIZE_TO_POINTER(line);
		gsize total = GPOINTER_TO_SIZE(g_hash_table_lookup(tl->lines, lk));
		g_hash_table_insert(tl->lines, lk, GSIZE_TO_POINTER(total + txns));
	}
}

void timeline_note_access(Timeline *tl, unsigned core, uint64_t cycle, const AccessOutcome *out)
{
	if (out->n_txns == 0)
		return;
	g_assert(core < tl->n_cores);
	/* A victim's Flush is traffic on the victim's line, not the access's. */
	uint64_t on_line = 0, flushes = 0, invs = 0;
	for (int k = 0; k < out->n_txns; k++) {
		if (out->txns[k] == BUS_FLUSH && out->evicted)
			flushes++;
		else
			on_line++;
	}
	for (int k = 0; k < out->n_changes; k++) {
		const StateChange *c = &out->changes[k];
		if (c->cache != core && c->to == 0) {
			add_pair(tl, out->line_addr, c->cache, 0, 1);
			invs++;
		}
	}
	if (on_line)
		add_pair(tl, out->line_addr, core, on_line, 0);
	if (flushes)
		add_pair(tl, out->victim_addr, core, flushes, 0);
	Bucket *b = bucket_at(tl, cycle);
	b->txns += (uint64_t)out->n_txns;
	b->invalidations += invs;
}

static void observe(void *data, Machine *m, unsigned core, int kind, uint64_t addr,
		    uint64_t value)
{
	Timeline *tl = data;
	timeline_note_access(tl, core, tl->res->where[core].cycle, machine_last_outcome(m));
}

static void probe_bus_busy(void *data, uint64_t from, uint64_t to)
{
	timeline_bus_busy(data, from, to);
}

static void probe_free_pages(void *data, uint64_t cycle, uint64_t pages)
{
	timeline_free_pages(data, cycle, pages);
}

void timeline_attach(Timeline *tl, Machine *m, RunResult *res)
{
	g_assert(res->n_cores == tl->n_cores);
	tl->res = res;
	tl->probe = (TimingProbe){ probe_bus_busy, probe_free_pages, tl };
	res->probe = &tl->probe;
	machine_add_observer(m, observe, tl);
}

typedef struct {
	uint64_t line, txns;
} HotLine;

/* Most transactions first; ties by address, so the file is deterministic. */
static int hot_cmp(gconstpointer a, gconstpointer b)
{
	const HotLine *x = a, *y = b;
	if (x->txns != y->txns)
		return x->txns > y->txns ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static void write_buckets(const Timeline *tl, GString *s, uint64_t end)
{
	g_string_append(s, "# start_cycle\tbus_busy_cycles\tbus_utilization\tbus_transactions"
			   "\tinvalidations\tfree_pages\n");
	guint n = (guint)MIN((end + tl->width - 1) / tl->width, (uint64_t)TIMELINE_MAX_BUCKETS);
	n = MAX(n, tl->buckets->len);
	gboolean known = FALSE;
	uint64_t level = 0;
	for (guint k = 0; k < n; k++) {
		Bucket b = { 0 };
		if (k < tl->buckets->len)
			b = g_array_index(tl->buckets, Bucket, k);
		uint64_t start = k * tl->width;
		uint64_t span = MIN(tl->width, end > start ? end - start : 1);
		char util[G_ASCII_DTOSTR_BUF_SIZE];
		g_ascii_formatd(util, sizeof util, "%.4f", (double)MIN(b.busy, span) / (double)span);
		g_string_append_printf(s, "%" PRIu64 "\t%" PRIu64 "\t%s\t%" PRIu64 "\t%" PRIu64 "\t",
				       start, b.busy, util, b.txns, b.invalidations);
		if (b.has_free) {
			g_string_append_printf(s, "%" PRIu64, b.free_min);
			level = b.free_last;
			known = TRUE;
		} else if (known) {
			g_string_append_printf(s, "%" PRIu64, level);
		}
		g_string_append_c(s, '\n');
	}
}

static void write_hot_lines(const Timeline *tl, GString *s)
{
	g_autoptr(GArray) hot = g_array_new(FALSE, FALSE, sizeof(HotLine));
	GHashTableIter it;
	gpointer key, value;
	g_hash_table_iter_init(&it, tl->lines);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		HotLine h = { GPOINTER_TO_SIZE(key), GPOINTER_TO_SIZE(value) };
		g_array_append_val(hot, h);
	}
	g_array_sort(hot, hot_cmp);
	g_string_append(s, "# rank\tline\tcore\ttransactions\tinvalidations\n");
	for (guint r = 0; r < MIN(hot->len, TIMELINE_HOT_LINES); r++) {
		uint64_t line = g_array_index(hot, HotLine, r).line;
		for (unsigned c = 0; c < tl->n_cores; c++) {
			const Traffic *t = g_hash_table_lookup(
				tl->pairs, GSIZE_TO_POINTER(line * WL_MAX_CORES + c));
			g_string_append_printf(s, "%u\t0x%" PRIx64 "\t%u\t%" PRIu64 "\t%" PRIu64 "\n",
					       r, line, c, t ? t->txns : 0,
					       t ? t->invalidations : 0);
		}
	}
}

gboolean timeline_write(const Timeline *tl, uint64_t end, GError **error)
{
	g_autoptr(GString) s = g_string_new(NULL);
	g_string_append_printf(s,
			       "# labyrinth timeline: %u cores, %" PRIu64 " cycles, buckets of %" PRIu64
			       " cycles\n# Plot it with: labyrinth plot --timeline FILE\n",
			       tl->n_cores, end, tl->width);
	write_buckets(tl, s, end);
	g_string_append(s, "\n\n");
	write_hot_lines(tl, s);
	return outfile_write_all(tl->path, s->str, s->len, error);
}
