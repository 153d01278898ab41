/* hotlines.c - the contention report (hotlines.h).
 *
 * Per line touched, a HotLine in a hash table keyed by line address.  The
 * per-core entries live in one array of uint64_t: entry k is 1 + 2 * mw
 * words (the core id, then mw words of read mask, then mw of written
 * mask; mw = words per line / 64, rounded up), grown by doubling.  Lines
 * are touched by few cores, so finding a core's entry is a linear scan
 * from the entry found last time.
 *
 * The ranking (a sort of the lines with traffic, O(L log L)) is computed
 * when a report first asks for it and kept until the next access.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "hotlines.h"

typedef struct {
	uint64_t line;
	uint64_t invalidations, transfers, updates, txns;
	gboolean allocator; /* an access under CTX_KERNEL_META */
	unsigned n_cores, cap;
	unsigned last;      /* entry of the core that touched it last */
	uint64_t *entries;  /* [cap * stride] */
} HotLine;

struct HotLines {
	GHashTable *lines;  /* &HotLine.line -> HotLine */
	unsigned mw;        /* mask words per entry: line words / 64, rounded up */
	unsigned line_words;
	GPtrArray *ranked;  /* HotLine *, the busiest first; NULL when stale */
};

static inline unsigned stride(const HotLines *h)
{
	return 1 + 2 * h->mw;
}

static void hot_line_free(gpointer p)
{
	HotLine *l = p;
	g_free(l->entries);
	g_free(l);
}

static HotLine *get_line(HotLines *h, uint64_t line)
{
	HotLine *l = g_hash_table_lookup(h->lines, &line);
	if (!l) {
		l = g_new0(HotLine, 1);
		l->line = line;
		g_hash_table_insert(h->lines, &l->line, l);
	}
	return l;
}

/* The entry of core in l, added if the core has not touched l before. */
static uint64_t *core_entry(HotLines *h, HotLine *l, unsigned core)
{
	unsigned s = stride(h);
	for (unsigned i = 0; i < l->n_cores; i++) {
		unsigned k = (l->last + i) % l->n_cores;
		if (l->entries[k * s] == core) {
			l->last = k;
			return &l->entries[k * s];
		}
	}
	if (l->n_cores == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 2;
		l->entries = g_renew(uint64_t, l->entries, (gsize)l->cap * s);
	}
	uint64_t *e = &l->entries[l->n_cores * s];
	memset(e, 0, s * sizeof *e);
	e[0] = core;
	l->last = l->n_cores++;
	return e;
}

static void observe(void *data, Machine *m, unsigned core, int kind, uint64_t addr, uint64_t value)
{
	HotLines *h = data;
	const AccessOutcome *out = machine_last_outcome(m);
	HotLine *l = get_line(h, out->line_addr);
	g_clear_pointer(&h->ranked, g_ptr_array_unref);

	for (int i = 0; i < out->n_txns; i++) {
		if (out->txns[i] == BUS_FLUSH && out->evicted) {
			/* A write-back belongs to the victim's line. */
			get_line(h, out->victim_addr)->txns++;
			continue;
		}
		l->txns++;
		l->updates += out->txns[i] == BUS_UPD;
	}
	l->transfers += out->source == SRC_CACHE;
	for (int i = 0; i < out->n_changes; i++) {
		const StateChange *ch = &out->changes[i];
		/* The first change of a fill that evicted is the victim's. */
		if (i == 0 && out->evicted)
			continue;
		if (ch->to == 0 && ch->from != 0 && ch->cache != core)
			l->invalidations++;
	}

	if (machine_context(m) == CTX_KERNEL_META)
		l->allocator = TRUE;
	if (kind < 0)
		return; /* a claim touches no word: it is the allocator's, not the core's */
	unsigned word = (unsigned)((addr - out->line_addr) >> 3);
	g_assert(word < h->line_words);
	uint64_t *e = core_entry(h, l, core);
	uint64_t bit = UINT64_C(1) << (word % 64);
	if (kind == ACC_LOAD) {
		e[1 + word / 64] |= bit;
	} else {
		if (kind != ACC_STORE)
			e[1 + word / 64] |= bit; /* an rmw reads too */
		e[1 + h->mw + word / 64] |= bit;
	}
}

HotLines *hotlines_new(Machine *m)
{
	HotLines *h = g_new0(HotLines, 1);
	h->lines = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, hot_line_free);
	h->line_words = machine_line_size(m) / 8;
	h->mw = (h->line_words + 63) / 64;
	machine_add_observer(m, observe, h);
	return h;
}

void hotlines_free(HotLines *h)
{
	if (!h)
		return;
	g_hash_table_destroy(h->lines);
	if (h->ranked)
		g_ptr_array_unref(h->ranked);
	g_free(h);
}

static uint64_t traffic(const HotLine *l)
{
	return l->invalidations + l->transfers + l->updates;
}

static int by_traffic(gconstpointer a, gconstpointer b)
{
	const HotLine *x = *(HotLine *const *)a, *y = *(HotLine *const *)b;
	uint64_t tx = traffic(x), ty = traffic(y);
	if (tx != ty)
		return tx > ty ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int by_core(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The ranking, computed on demand: a cache, hence the cast. */
static GPtrArray *ranked(const HotLines *ch)
{
	HotLines *h = (HotLines *)ch;
	if (h->ranked)
		return h->ranked;
	h->ranked = g_ptr_array_new();
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, h->lines);
	while (g_hash_table_iter_next(&it, NULL, &v))
		if (traffic(v))
			g_ptr_array_add(h->ranked, v);
	g_ptr_array_sort(h->ranked, by_traffic);
	/* Reports list cores in order; entry 0 of each is the core id. */
	for (guint i = 0; i < h->ranked->len; i++) {
		HotLine *l = h->ranked->pdata[i];
		qsort(l->entries, l->n_cores, stride(h) * sizeof(uint64_t), by_core);
	}
	return h->ranked;
}

unsigned hotlines_count(const HotLines *h)
{
	return ranked(h)->len;
}

/* The verdict of hotlines.h.  True sharing: some core touches a word that
 * an earlier core (in entry order) wrote, or writes one an earlier core
 * touched; checking each core against the union of those before it finds
 * every such pair in O(cores * mw). */
static const char *verdict(const HotLines *h, const HotLine *l)
{
	if (l->allocator)
		return "allocator metadata";
	if (l->n_cores < 2)
		return "private";
	unsigned s = stride(h), mw = h->mw;
	g_autofree uint64_t *seen = g_new0(uint64_t, 2 * mw); /* touched, written */
	gboolean any_write = FALSE, overlap = FALSE;
	for (unsigned k = 0; k < l->n_cores; k++) {
		const uint64_t *rd = &l->entries[k * s + 1], *wr = rd + mw;
		for (unsigned i = 0; i < mw; i++) {
			uint64_t touched = rd[i] | wr[i];
			if ((touched & seen[mw + i]) || (wr[i] & seen[i]))
				overlap = TRUE;
			any_write |= wr[i] != 0;
			seen[i] |= touched;
			seen[mw + i] |= wr[i];
		}
	}
	if (overlap)
		return "true sharing";
	return any_write ? "false sharing" : "read sharing";
}

void hotlines_get(const HotLines *h, unsigned i, HotLineInfo *info)
{
	GPtrArray *r = ranked(h);
	g_assert(i < r->len);
	const HotLine *l = r->pdata[i];
	*info = (HotLineInfo){
		.line = l->line,
		.invalidations = l->invalidations,
		.transfers = l->transfers,
		.updates = l->updates,
		.txns = l->txns,
		.n_cores = l->n_cores,
		.verdict = verdict(h, l),
	};
}

unsigned hotlines_core(const HotLines *h, unsigned i, unsigned k, const uint64_t **read,
		       const uint64_t **written)
{
	GPtrArray *r = ranked(h);
	g_assert(i < r->len);
	const HotLine *l = r->pdata[i];
	g_assert(k < l->n_cores);
	const uint64_t *e = &l->entries[k * stride(h)];
	*read = e + 1;
	*written = e + 1 + h->mw;
	return (unsigned)e[0];
}

static gboolean has_bit(const uint64_t *mask, unsigned w)
{
	return (mask[w / 64] >> (w % 64)) & 1;
}

/* "0-3,7" for the set words of mask; "-" when none. */
static void append_words(GString *s, const uint64_t *mask, unsigned n_words)
{
	gsize start = s->len;
	for (unsigned w = 0; w < n_words; w++) {
		if (!has_bit(mask, w))
			continue;
		unsigned end = w;
		while (end + 1 < n_words && has_bit(mask, end + 1))
			end++;
		if (s->len > start)
			g_string_append_c(s, ',');
		if (end == w)
			g_string_append_printf(s, "%u", w);
		else
			g_string_append_printf(s, "%u-%u", w, end);
		w = end;
	}
	if (s->len == start)
		g_string_append_c(s, '-');
}

static unsigned top(const HotLines *h, unsigned n)
{
	unsigned count = hotlines_count(h);
	return n < count ? n : count;
}

void hotlines_print(const HotLines *h, unsigned n, FILE *out)
{
	unsigned shown = top(h, n);
	fprintf(out, "\nHot lines: %u of %u lines with coherence traffic "
		     "(invalidations + transfers + updates)\n",
		shown, hotlines_count(h));
	if (!shown)
		return;
	fprintf(out, "%-18s %8s %8s %8s %8s  %s\n", "line", "inval", "xfers", "updates", "bus",
		"verdict");
	g_autoptr(GString) s = g_string_new(NULL);
	for (unsigned i = 0; i < shown; i++) {
		HotLineInfo info;
		hotlines_get(h, i, &info);
		fprintf(out,
			"0x%-16" PRIx64 " %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %8" PRIu64
			"  %s\n",
			info.line, info.invalidations, info.transfers, info.updates, info.txns,
			info.verdict);
		for (unsigned k = 0; k < info.n_cores; k++) {
			const uint64_t *rd, *wr;
			unsigned core = hotlines_core(h, i, k, &rd, &wr);
			g_string_assign(s, "");
			g_string_append_printf(s, "    core %u: read words ", core);
			append_words(s, rd, h->line_words);
			g_string_append(s, ", wrote ");
			append_words(s, wr, h->line_words);
			fprintf(out, "%s\n", s->str);
		}
	}
}

static void add_words(JsonBuilder *b, const char *key, const uint64_t *mask, unsigned n_words)
{
	json_builder_set_member_name(b, key);
	json_builder_begin_array(b);
	for (unsigned w = 0; w < n_words; w++)
		if (has_bit(mask, w))
			json_builder_add_int_value(b, w);
	json_builder_end_array(b);
}

static void add_uint(JsonBuilder *b, const char *key, uint64_t v)
{
	json_builder_set_member_name(b, key);
	json_builder_add_int_value(b, (gint64)v);
}

void hotlines_add_json(const HotLines *h, unsigned n, JsonBuilder *b)
{
	unsigned shown = top(h, n);
	json_builder_set_member_name(b, "hot_lines");
	json_builder_begin_array(b);
	for (unsigned i = 0; i < shown; i++) {
		HotLineInfo info;
		hotlines_get(h, i, &info);
		json_builder_begin_object(b);
		add_uint(b, "line", info.line);
		add_uint(b, "invalidations", info.invalidations);
		add_uint(b, "transfers", info.transfers);
		add_uint(b, "updates", info.updates);
		add_uint(b, "bus_transactions", info.txns);
		json_builder_set_member_name(b, "verdict");
		json_builder_add_string_value(b, info.verdict);
		json_builder_set_member_name(b, "cores");
		json_builder_begin_array(b);
		for (unsigned k = 0; k < info.n_cores; k++) {
			const uint64_t *rd, *wr;
			unsigned core = hotlines_core(h, i, k, &rd, &wr);
			json_builder_begin_object(b);
			add_uint(b, "core", core);
			add_words(b, "read", rd, h->line_words);
			add_words(b, "written", wr, h->line_words);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
}
