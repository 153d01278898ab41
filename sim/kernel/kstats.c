/* kstats.c - the allocator's statistics: counters, latency histograms by
 * path, per-page lock statistics, free pages over time, and the split of
 * coherence traffic by call and by metadata vs claim.
 *
 * The traffic split comes from a machine observer: after every access the
 * machine's per-context totals (machine_invalidations_in() and
 * machine_c2c_in()) are compared with what was already attributed, and the
 * difference goes to the call in progress on the core that made the
 * access.  That stays right in timing mode, where several cores' calls
 * interleave.
 *
 * The JSON "allocator" object has shared/spec/stats.md's keys first:
 * allocs (successful allocations), frees, failures (alloc calls that
 * returned 0), latency_cycles (of successful allocations), lock_wait_cycles
 * (the zone lock), claim_invalidations, reserve_dips; then this model's.
 */
#include <inttypes.h>

#include "kpriv.h"

/* What the zone holds now, for reports (no simulated access). */
void kernel_zone_info(const Kernel *k, KZoneInfo *zi)
{
	uint64_t pcp = 0;
	for (unsigned c = 0; c < k->n_cores; c++)
		pcp += k->pcp_pages[c];
	*zi = (KZoneInfo){
		.min = k->wmark_min,
		.low = k->wmark_low,
		.high = k->wmark_high,
		.batch = k->batch,
		.pcp_high = k->pcp_high,
		.buddy_pages = k->buddy_pages,
		.pcp_pages = pcp,
		.allocated = k->allocated,
	};
}

uint64_t kernel_pcp_count(const Kernel *k, unsigned core)
{
	g_assert(core < k->n_cores);
	return k->pcp_pages[core];
}

static void observe(void *data, Machine *m, unsigned core, int kind, uint64_t addr,
		    uint64_t value)
{
	Kernel *k = data;
	AccessContext ctx = machine_context(m);
	uint64_t inv = machine_invalidations_in(m, ctx), c2c = machine_c2c_in(m, ctx);
	uint64_t dinv = inv - k->seen_inv[ctx], dc2c = c2c - k->seen_c2c[ctx];
	k->seen_inv[ctx] = inv;
	k->seen_c2c[ctx] = c2c;
	if (ctx == CTX_USER || core >= k->n_cores)
		return;
	KCallKind call = k->cores[core].kind;
	int i = call == KCALL_ALLOC ? 0 : call == KCALL_FREE ? 1 : 2;
	int j = ctx == CTX_KERNEL_CLAIM;
	k->st.inv[i][j] += dinv;
	k->st.c2c[i][j] += dc2c;
}

void kstats_init(Kernel *k)
{
	k->lat_alloc = hist_new();
	k->lat_free = hist_new();
	for (int p = 0; p < KPATH_N; p++)
		k->lat_alloc_path[p] = hist_new();
	for (int p = 0; p < KFPATH_N; p++)
		k->lat_free_path[p] = hist_new();
	k->page_locks = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
	k->series_every = 1;
	for (int c = 0; c < CTX_N; c++) {
		k->seen_inv[c] = machine_invalidations_in(k->m, (AccessContext)c);
		k->seen_c2c[c] = machine_c2c_in(k->m, (AccessContext)c);
	}
	machine_add_observer(k->m, observe, k);
}

void kstats_clear(Kernel *k)
{
	hist_free(k->lat_alloc);
	hist_free(k->lat_free);
	for (int p = 0; p < KPATH_N; p++)
		hist_free(k->lat_alloc_path[p]);
	for (int p = 0; p < KFPATH_N; p++)
		hist_free(k->lat_free_path[p]);
	g_hash_table_destroy(k->page_locks);
}

static uint64_t free_pages(const Kernel *k)
{
	uint64_t n = k->buddy_pages;
	for (unsigned c = 0; c < k->n_cores; c++)
		n += k->pcp_pages[c];
	return n;
}

/* One sample every series_every allocations; when the 64 slots are full,
 * keep the samples at even multiples of the interval and double it. */
static void sample_free_pages(Kernel *k)
{
	if (k->st.allocs % k->series_every)
		return;
	if (k->n_series == KSERIES_MAX) {
		for (unsigned i = 0; i < KSERIES_MAX / 2; i++)
			k->series[i] = k->series[2 * i + 1];
		k->n_series = KSERIES_MAX / 2;
		k->series_every *= 2;
		if (k->st.allocs % k->series_every)
			return;
	}
	k->series[k->n_series++] = free_pages(k);
}

void kstats_alloc_done(Kernel *k, KCore *kc, KPath path, uint64_t latency)
{
	k->st.allocs++;
	hist_add(k->lat_alloc, latency);
	hist_add(k->lat_alloc_path[path], latency);
	uint64_t *by_path[] = { &k->st.pcp_hits, &k->st.refills_on_alloc, &k->st.buddy_allocs };
	(*by_path[path])++;
	sample_free_pages(k);
}

void kstats_free_done(Kernel *k, KCore *kc, KFreePath path, uint64_t latency)
{
	k->st.frees++;
	hist_add(k->lat_free, latency);
	hist_add(k->lat_free_path[path], latency);
}

void kstats_page_lock(Kernel *k, uint64_t pfn, int contended, uint64_t wait)
{
	KPageLockStats *s = g_hash_table_lookup(k->page_locks, &(gint64){ (gint64)pfn });
	if (!s) {
		gint64 *key = g_new(gint64, 1);
		*key = (gint64)pfn;
		s = g_new0(KPageLockStats, 1);
		g_hash_table_insert(k->page_locks, key, s);
	}
	s->acquisitions++;
	s->contended += contended != 0;
	s->wait_cycles += wait;
	k->st.page_lock_acquisitions++;
	k->st.page_lock_contended += contended != 0;
	k->st.page_lock_wait_cycles += wait;
}

const KStats *kernel_stats(const Kernel *k)
{
	return &k->st;
}

/* ------------------------------------------------------------------ */

static void add_uint(JsonBuilder *b, const char *key, uint64_t v)
{
	json_builder_set_member_name(b, key);
	json_builder_add_int_value(b, (gint64)v);
}

static void add_double(JsonBuilder *b, const char *key, double v)
{
	json_builder_set_member_name(b, key);
	json_builder_add_double_value(b, v);
}

static void add_string(JsonBuilder *b, const char *key, const char *v)
{
	json_builder_set_member_name(b, key);
	json_builder_add_string_value(b, v);
}

static void add_latency(JsonBuilder *b, const char *key, const Histogram *h)
{
	json_builder_set_member_name(b, key);
	json_builder_begin_object(b);
	add_uint(b, "count", hist_count(h));
	add_double(b, "mean", hist_mean(h));
	add_uint(b, "p50", hist_quantile(h, 0.50));
	add_uint(b, "p99", hist_quantile(h, 0.99));
	add_uint(b, "max", hist_max(h));
	json_builder_end_object(b);
}

static double per(uint64_t n, uint64_t d)
{
	return d ? (double)n / (double)d : 0.0;
}

typedef struct {
	uint64_t pfn;
	const KPageLockStats *s;
} PageLockRow;

static gint cmp_page_lock(gconstpointer a, gconstpointer b)
{
	const PageLockRow *x = a, *y = b;
	if (x->s->wait_cycles != y->s->wait_cycles)
		return x->s->wait_cycles > y->s->wait_cycles ? -1 : 1;
	if (x->s->acquisitions != y->s->acquisitions)
		return x->s->acquisitions > y->s->acquisitions ? -1 : 1;
	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

/* The most waited-on page locks first, at most max of them. */
static GArray *hottest_page_locks(const Kernel *k, guint max)
{
	GArray *rows = g_array_new(FALSE, FALSE, sizeof(PageLockRow));
	GHashTableIter it;
	gpointer key, value;
	g_hash_table_iter_init(&it, k->page_locks);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		PageLockRow r = { (uint64_t) * (gint64 *)key, value };
		g_array_append_val(rows, r);
	}
	g_array_sort(rows, cmp_page_lock);
	if (rows->len > max)
		g_array_set_size(rows, max);
	return rows;
}

static const char *const path_names[KPATH_N] = { "pcp_hit", "refill", "buddy" };
static const char *const free_path_names[KFPATH_N] = { "pcp", "drain", "buddy" };

void kernel_stats_json(const Kernel *k, JsonBuilder *b)
{
	const KStats *s = &k->st;
	KZoneInfo zi;
	kernel_zone_info(k, &zi);

	json_builder_set_member_name(b, "allocator");
	json_builder_begin_object(b);
	add_uint(b, "allocs", s->allocs);
	add_uint(b, "frees", s->frees);
	add_uint(b, "failures", s->failures);
	add_latency(b, "latency_cycles", k->lat_alloc);
	add_uint(b, "lock_wait_cycles", s->lock_wait_cycles);
	add_uint(b, "claim_invalidations", s->inv[0][1]);
	add_uint(b, "reserve_dips", s->reserve_dips);

	json_builder_set_member_name(b, "zone");
	json_builder_begin_object(b);
	add_uint(b, "pages", k->l.n_pages);
	add_uint(b, "min", zi.min);
	add_uint(b, "low", zi.low);
	add_uint(b, "high", zi.high);
	add_uint(b, "batch", zi.batch);
	add_uint(b, "pcp_high", zi.pcp_high);
	add_uint(b, "free_pages", zi.buddy_pages);
	add_uint(b, "pcp_pages", zi.pcp_pages);
	add_uint(b, "allocated_pages", zi.allocated);
	json_builder_end_object(b);

	json_builder_set_member_name(b, "allocs_by_path");
	json_builder_begin_object(b);
	add_uint(b, "pcp_hit", s->pcp_hits);
	add_uint(b, "refill", s->refills_on_alloc);
	add_uint(b, "buddy", s->buddy_allocs);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "latency_by_path");
	json_builder_begin_object(b);
	for (int p = 0; p < KPATH_N; p++)
		add_latency(b, path_names[p], k->lat_alloc_path[p]);
	json_builder_end_object(b);
	add_latency(b, "free_latency_cycles", k->lat_free);
	json_builder_set_member_name(b, "free_latency_by_path");
	json_builder_begin_object(b);
	for (int p = 0; p < KFPATH_N; p++)
		add_latency(b, free_path_names[p], k->lat_free_path[p]);
	json_builder_end_object(b);

	add_uint(b, "slowpath", s->slowpath);
	add_uint(b, "sleeps", s->sleeps);
	add_uint(b, "sleep_cycles", s->sleep_cycles);

	json_builder_set_member_name(b, "zone_lock");
	json_builder_begin_object(b);
	add_string(b, "kind", k->lock_kind == ALLOC_LOCK_TICKET ? "ticket" : "ttas");
	add_uint(b, "acquisitions", s->lock_acquisitions);
	add_uint(b, "contended", s->lock_contended);
	add_uint(b, "wait_cycles", s->lock_wait_cycles);
	add_uint(b, "hold_cycles", s->lock_hold_cycles);
	add_uint(b, "handoffs", s->lock_handoffs);
	json_builder_end_object(b);

	json_builder_set_member_name(b, "traffic");
	json_builder_begin_object(b);
	add_uint(b, "alloc_metadata_invalidations", s->inv[0][0]);
	add_uint(b, "alloc_metadata_c2c", s->c2c[0][0]);
	add_uint(b, "claim_invalidations", s->inv[0][1]);
	add_uint(b, "claim_c2c", s->c2c[0][1]);
	add_uint(b, "free_invalidations", s->inv[1][0]);
	add_uint(b, "free_c2c", s->c2c[1][0]);
	add_uint(b, "page_lock_invalidations", s->inv[2][0]);
	add_uint(b, "page_lock_c2c", s->c2c[2][0]);
	json_builder_set_member_name(b, "per_alloc");
	json_builder_begin_object(b);
	uint64_t calls = s->allocs + s->failures;
	add_double(b, "metadata_invalidations", per(s->inv[0][0], calls));
	add_double(b, "metadata_c2c", per(s->c2c[0][0], calls));
	add_double(b, "claim_invalidations", per(s->inv[0][1], s->allocs));
	add_double(b, "claim_c2c", per(s->c2c[0][1], s->allocs));
	json_builder_end_object(b);
	json_builder_set_member_name(b, "per_free");
	json_builder_begin_object(b);
	add_double(b, "metadata_invalidations", per(s->inv[1][0], s->frees));
	add_double(b, "metadata_c2c", per(s->c2c[1][0], s->frees));
	json_builder_end_object(b);
	json_builder_end_object(b);

	add_uint(b, "refills", s->refills);
	add_uint(b, "drains", s->drains);
	add_uint(b, "pages_refilled", s->pages_refilled);
	add_uint(b, "pages_drained", s->pages_drained);
	add_uint(b, "pages_moved", s->pages_refilled + s->pages_drained);
	add_uint(b, "leaked_blocks", s->leaked_blocks);
	add_uint(b, "leaked_pages", s->leaked_pages);
	add_uint(b, "pages_allocated_at_end", zi.allocated);

	json_builder_set_member_name(b, "page_locks");
	json_builder_begin_object(b);
	add_uint(b, "acquisitions", s->page_lock_acquisitions);
	add_uint(b, "contended", s->page_lock_contended);
	add_uint(b, "wait_cycles", s->page_lock_wait_cycles);
	json_builder_set_member_name(b, "pages");
	json_builder_begin_array(b);
	g_autoptr(GArray) rows = hottest_page_locks(k, 16);
	for (guint i = 0; i < rows->len; i++) {
		const PageLockRow *r = &g_array_index(rows, PageLockRow, i);
		json_builder_begin_object(b);
		add_uint(b, "page", kl_frame(k, r->pfn));
		add_uint(b, "acquisitions", r->s->acquisitions);
		add_uint(b, "contended", r->s->contended);
		add_uint(b, "wait_cycles", r->s->wait_cycles);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);

	json_builder_set_member_name(b, "free_pages_over_time");
	json_builder_begin_object(b);
	add_uint(b, "every_allocs", k->series_every);
	json_builder_set_member_name(b, "samples");
	json_builder_begin_array(b);
	for (unsigned i = 0; i < k->n_series; i++)
		json_builder_add_int_value(b, (gint64)k->series[i]);
	json_builder_end_array(b);
	json_builder_end_object(b);

	json_builder_end_object(b);
}

static void print_latency(FILE *out, const char *label, const Histogram *h)
{
	fprintf(out,
		"  %-22s %8" PRIu64 " calls, mean %.1f, p50 %" PRIu64 ", p99 %" PRIu64
		", max %" PRIu64 "\n",
		label, hist_count(h), hist_mean(h), hist_quantile(h, 0.5), hist_quantile(h, 0.99),
		hist_max(h));
}

void kernel_stats_report(const Kernel *k, FILE *out)
{
	const KStats *s = &k->st;
	KZoneInfo zi;
	kernel_zone_info(k, &zi);

	fprintf(out,
		"\nallocator  policy %s, %s zone lock, claim %s; %" PRIu64 " pages, watermarks min %" PRIu64
		" low %" PRIu64 " high %" PRIu64 ", batch %u, pcp high %u\n",
		k->policy == ALLOC_POLICY_PCP ? "pcp" : "global",
		k->lock_kind == ALLOC_LOCK_TICKET ? "ticket" : "ttas",
		k->claim == ALLOC_CLAIM_ZERO ? "zero" : "rfo", k->l.n_pages, zi.min, zi.low, zi.high,
		zi.batch, zi.pcp_high);
	fprintf(out,
		"  allocs %" PRIu64 " (pcp hit %" PRIu64 ", refill %" PRIu64 ", buddy %" PRIu64
		"), frees %" PRIu64 ", failures %" PRIu64 ", reserve dips %" PRIu64
		", slow path %" PRIu64 ", sleeps %" PRIu64 " (%" PRIu64 ")\n",
		s->allocs, s->pcp_hits, s->refills_on_alloc, s->buddy_allocs, s->frees, s->failures,
		s->reserve_dips, s->slowpath, s->sleeps, s->sleep_cycles);
	print_latency(out, "alloc latency", k->lat_alloc);
	for (int p = 0; p < KPATH_N; p++) {
		char label[32];
		g_snprintf(label, sizeof label, "  %s", path_names[p]);
		print_latency(out, label, k->lat_alloc_path[p]);
	}
	print_latency(out, "free latency", k->lat_free);
	fprintf(out,
		"  zone lock: %" PRIu64 " acquisitions, %" PRIu64 " contended, wait %" PRIu64
		", hold %" PRIu64 ", %" PRIu64 " hand-offs\n",
		s->lock_acquisitions, s->lock_contended, s->lock_wait_cycles, s->lock_hold_cycles,
		s->lock_handoffs);
	fprintf(out,
		"  per-cpu lists: %" PRIu64 " refills (%" PRIu64 " pages), %" PRIu64
		" drains (%" PRIu64 " pages)\n",
		s->refills, s->pages_refilled, s->drains, s->pages_drained);
	uint64_t calls = s->allocs + s->failures;
	fprintf(out,
		"  per alloc: metadata %.2f invalidations, %.2f c2c; claim %.2f invalidations, "
		"%.2f c2c (claim total %" PRIu64 ")\n",
		per(s->inv[0][0], calls), per(s->c2c[0][0], calls), per(s->inv[0][1], s->allocs),
		per(s->c2c[0][1], s->allocs), s->inv[0][1]);
	fprintf(out, "  per free: metadata %.2f invalidations, %.2f c2c\n", per(s->inv[1][0], s->frees),
		per(s->c2c[1][0], s->frees));
	fprintf(out, "  page locks: %" PRIu64 " acquisitions, %" PRIu64 " contended, wait %" PRIu64 "\n",
		s->page_lock_acquisitions, s->page_lock_contended, s->page_lock_wait_cycles);
	fprintf(out,
		"  at the end: %" PRIu64 " pages on buddy lists, %" PRIu64 " on per-cpu lists, %" PRIu64
		" still allocated (%" PRIu64 " blocks, %" PRIu64 " pages leaked by overwriting a register)\n",
		zi.buddy_pages, zi.pcp_pages, zi.allocated, s->leaked_blocks, s->leaked_pages);
	if (k->n_series) {
		fprintf(out, "  free pages every %" PRIu64 " allocs:", k->series_every);
		for (unsigned i = 0; i < k->n_series; i++)
			fprintf(out, " %" PRIu64, k->series[i]);
		fputc('\n', out);
	}
}
