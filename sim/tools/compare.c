/* compare.c - runs side by side, and two event traces walked together
 * (compare.h; the trace format and the comparison rule: docs/events.md).
 *
 * The table: every run's JSON is flattened into rows keyed by a dotted
 * name; a hash table finds a name's row, so n runs of r rows cost O(n r).
 *
 * The traces: matching events by (core, op index) needs both traces in
 * the same per-core order, but the two files interleave cores differently
 * (timing differs between protocols), and buffering one core's events
 * until the other file catches up could take the whole trace.  So each
 * core gets its own pass over both files, which reads core c's events in
 * order and skips the rest: O(cores * size) reading, O(1) memory per
 * pass, plus one CompareLineDiff per line touched for the summary.
 */
#include <gio/gio.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "protocol.h"
#include "report/events.h"

G_DEFINE_QUARK(labyrinth-compare-error-quark, compare_error)

/* ---- statistics ---- */

CompareRun *compare_run_new(const char *label, JsonNode *root)
{
	CompareRun *r = g_new0(CompareRun, 1);
	r->label = g_strdup(label);
	r->root = json_node_ref(root);
	return r;
}

void compare_run_free(CompareRun *r)
{
	if (!r)
		return;
	g_free(r->label);
	json_node_unref(r->root);
	g_free(r);
}

static gboolean is_stats(JsonNode *n)
{
	return JSON_NODE_HOLDS_OBJECT(n) &&
	       json_object_has_member(json_node_get_object(n), "schema");
}

gboolean compare_load_stats(const char *path, GPtrArray *runs, GError **error)
{
	g_autofree char *text = NULL;
	gsize len;
	if (!g_file_get_contents(path, &text, &len, error))
		return FALSE;
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) err = NULL;
	if (!json_parser_load_from_data(parser, text, (gssize)len, &err)) {
		g_set_error(error, COMPARE_ERROR, COMPARE_ERROR_FORMAT, "%s: not JSON: %s", path,
			    err->message);
		return FALSE;
	}
	JsonNode *root = json_parser_get_root(parser);
	if (root && is_stats(root)) {
		g_ptr_array_add(runs, compare_run_new(path, root));
		return TRUE;
	}
	/* An object of runs keyed by name, every member a statistics object. */
	if (root && JSON_NODE_HOLDS_OBJECT(root)) {
		JsonObject *o = json_node_get_object(root);
		g_autoptr(GList) names = json_object_get_members(o);
		gboolean all = names != NULL;
		for (GList *l = names; l && all; l = l->next)
			all = is_stats(json_object_get_member(o, l->data));
		for (GList *l = names; l && all; l = l->next) {
			g_autofree char *label = g_strdup_printf("%s:%s", path, (char *)l->data);
			g_ptr_array_add(runs,
					compare_run_new(label, json_object_get_member(o, l->data)));
		}
		if (all)
			return TRUE;
	}
	g_set_error(error, COMPARE_ERROR, COMPARE_ERROR_FORMAT,
		    "%s: not labyrinth statistics (no \"schema\" key; see docs/stats.md)",
		    path);
	return FALSE;
}

typedef struct {
	GPtrArray *settings, *stats; /* CompareRow *, in order of first appearance */
	GHashTable *index;           /* name -> CompareRow * */
	guint n_runs;
} Table;

static void row_free(gpointer p)
{
	CompareRow *r = p;
	g_free(r->name);
	g_free(r->values);
	g_free(r);
}

static void set_value(Table *t, guint run, const char *name, gboolean setting, JsonNode *leaf)
{
	CompareValue v = { CMP_NONE, 0, 0, NULL };
	GType type = json_node_get_value_type(leaf);
	if (type == G_TYPE_INT64) {
		v.kind = CMP_INT;
		v.i = json_node_get_int(leaf);
		v.d = (double)v.i;
	} else if (type == G_TYPE_DOUBLE) {
		v.kind = CMP_DOUBLE;
		v.d = json_node_get_double(leaf);
	} else if (type == G_TYPE_STRING && setting) {
		v.kind = CMP_STRING;
		v.s = json_node_get_string(leaf);
	} else {
		return; /* booleans; strings among the statistics */
	}
	CompareRow *r = g_hash_table_lookup(t->index, name);
	if (!r) {
		r = g_new0(CompareRow, 1);
		r->name = g_strdup(name);
		r->setting = setting;
		r->values = g_new0(CompareValue, t->n_runs);
		g_hash_table_insert(t->index, r->name, r);
		g_ptr_array_add(setting ? t->settings : t->stats, r);
	}
	r->values[run] = v;
}

/* The label of an array element: its "id" or "core" member when it has
 * one (cores[], caches[]), else its index. */
static gint64 element_id(JsonNode *el, guint i, const char **id_key)
{
	*id_key = NULL;
	if (JSON_NODE_HOLDS_OBJECT(el)) {
		JsonObject *o = json_node_get_object(el);
		static const char *const keys[] = { "id", "core" };
		for (gsize k = 0; k < G_N_ELEMENTS(keys); k++) {
			JsonNode *n = json_object_get_member(o, keys[k]);
			if (n && json_node_get_value_type(n) == G_TYPE_INT64) {
				*id_key = keys[k];
				return json_node_get_int(n);
			}
		}
	}
	return i;
}

static void flatten(Table *t, guint run, const char *name, JsonNode *node, gboolean setting,
		    const char *skip)
{
	switch (JSON_NODE_TYPE(node)) {
	case JSON_NODE_OBJECT: {
		JsonObject *o = json_node_get_object(node);
		g_autoptr(GList) members = json_object_get_members(o);
		for (GList *l = members; l; l = l->next) {
			const char *key = l->data;
			if (skip && strcmp(key, skip) == 0)
				continue;
			g_autofree char *sub = g_strdup_printf("%s.%s", name, key);
			flatten(t, run, sub, json_object_get_member(o, key), setting, NULL);
		}
		break;
	}
	case JSON_NODE_ARRAY: {
		JsonArray *a = json_node_get_array(node);
		for (guint i = 0; i < json_array_get_length(a); i++) {
			JsonNode *el = json_array_get_element(a, i);
			const char *id_key;
			gint64 id = element_id(el, i, &id_key);
			g_autofree char *sub =
				g_strdup_printf("%s[%" G_GINT64_FORMAT "]", name, id);
			flatten(t, run, sub, el, setting, id_key);
		}
		break;
	}
	case JSON_NODE_VALUE:
		set_value(t, run, name, setting, node);
		break;
	case JSON_NODE_NULL:
		break;
	}
}

static gboolean values_equal(const CompareValue *a, const CompareValue *b)
{
	if (a->kind == CMP_NONE || b->kind == CMP_NONE)
		return FALSE;
	if (a->kind == CMP_STRING || b->kind == CMP_STRING)
		return a->kind == b->kind && strcmp(a->s, b->s) == 0;
	if (a->kind == CMP_INT && b->kind == CMP_INT)
		return a->i == b->i;
	return a->d == b->d;
}

/* Top-level keys that are not statistics to line up: the version and
 * schema, the protocol's own transition names, the contention report. */
static gboolean skipped_key(const char *key)
{
	static const char *const skip[] = { "schema", "transitions", "hot_lines" };
	for (gsize i = 0; i < G_N_ELEMENTS(skip); i++)
		if (strcmp(key, skip[i]) == 0)
			return TRUE;
	return FALSE;
}

static gboolean setting_key(const char *key)
{
	return strcmp(key, "config") == 0 || strcmp(key, "workload") == 0 ||
	       strcmp(key, "labyrinth_version") == 0;
}

GPtrArray *compare_rows(GPtrArray *runs, gboolean diff_only)
{
	Table t = {
		.settings = g_ptr_array_new(),
		.stats = g_ptr_array_new(),
		.index = g_hash_table_new(g_str_hash, g_str_equal),
		.n_runs = runs->len,
	};
	for (guint r = 0; r < runs->len; r++) {
		const CompareRun *run = runs->pdata[r];
		JsonObject *o = json_node_get_object(run->root);
		g_autoptr(GList) members = json_object_get_members(o);
		for (GList *l = members; l; l = l->next) {
			const char *key = l->data;
			if (!skipped_key(key))
				flatten(&t, r, key, json_object_get_member(o, key),
					setting_key(key), NULL);
		}
	}
	GPtrArray *rows = g_ptr_array_new_with_free_func(row_free);
	GPtrArray *parts[] = { t.settings, t.stats };
	for (gsize p = 0; p < G_N_ELEMENTS(parts); p++) {
		for (guint i = 0; i < parts[p]->len; i++) {
			CompareRow *row = parts[p]->pdata[i];
			row->equal = row->values[0].kind != CMP_NONE;
			for (guint r = 1; r < runs->len; r++)
				if (!values_equal(&row->values[0], &row->values[r]))
					row->equal = FALSE;
			if (row->equal && (diff_only || row->setting))
				row_free(row);
			else
				g_ptr_array_add(rows, row);
		}
	}
	g_ptr_array_free(t.settings, TRUE);
	g_ptr_array_free(t.stats, TRUE);
	g_hash_table_destroy(t.index);
	return rows;
}

static char *value_text(const CompareValue *v)
{
	switch (v->kind) {
	case CMP_INT:
		return g_strdup_printf("%" G_GINT64_FORMAT, v->i);
	case CMP_DOUBLE:
		return g_strdup_printf("%.6g", v->d);
	case CMP_STRING:
		return g_strdup(v->s);
	case CMP_NONE:
		break;
	}
	return g_strdup("n/a");
}

static char *ratio_text(const CompareValue *first, const CompareValue *v)
{
	if (first->kind == CMP_STRING || v->kind == CMP_STRING)
		return g_strdup("");
	if (first->kind == CMP_NONE || v->kind == CMP_NONE)
		return g_strdup("-");
	if (values_equal(first, v))
		return g_strdup("=");
	if (first->d == 0)
		return g_strdup("-");
	return g_strdup_printf("%.2fx", v->d / first->d);
}

void compare_print_table(GPtrArray *runs, gboolean diff_only, FILE *out)
{
	g_autoptr(GPtrArray) rows = compare_rows(runs, diff_only);
	guint n = runs->len;
	/* Every cell's text first, for the column widths. */
	g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func(g_free);
	int name_w = (int)strlen("statistic");
	g_autofree int *val_w = g_new0(int, n), *ratio_w = g_new0(int, n);
	for (guint r = 0; r < n; r++)
		val_w[r] = (int)strlen(((CompareRun *)runs->pdata[r])->label);
	for (guint i = 0; i < rows->len; i++) {
		CompareRow *row = rows->pdata[i];
		name_w = MAX(name_w, (int)strlen(row->name));
		for (guint r = 0; r < n; r++) {
			char *v = value_text(&row->values[r]);
			char *x = r ? ratio_text(&row->values[0], &row->values[r]) : g_strdup("");
			val_w[r] = MAX(val_w[r], (int)strlen(v));
			ratio_w[r] = MAX(ratio_w[r], (int)strlen(x));
			g_ptr_array_add(cells, v);
			g_ptr_array_add(cells, x);
		}
	}
	g_autoptr(GString) line = g_string_new(NULL);
	for (gint i = -1; i < (gint)rows->len; i++) {
		const CompareRow *row = i >= 0 ? rows->pdata[i] : NULL;
		g_string_printf(line, "%-*s", name_w, row ? row->name : "statistic");
		for (guint r = 0; r < n; r++) {
			const char *v = row ? cells->pdata[2 * (i * n + r)]
					    : ((CompareRun *)runs->pdata[r])->label;
			const char *x = row ? cells->pdata[2 * (i * n + r) + 1] : "";
			g_string_append_printf(line, "  %*s%s%-*s", val_w[r], v,
					       ratio_w[r] ? " " : "", ratio_w[r], x);
		}
		while (line->len && line->str[line->len - 1] == ' ')
			g_string_truncate(line, line->len - 1);
		fprintf(out, "%s\n", line->str);
	}
	if (rows->len == 0)
		fprintf(out, "(no %s)\n", diff_only ? "statistic differs" : "statistics");
}

/* ---- event traces ---- */

#define READ_BUF (64 * 1024)

typedef struct {
	uint64_t cycle;
	unsigned core;
	uint64_t key;      /* op index, or the event's ordinal in its core */
	gboolean has_op;
	uint64_t op_index;
	uint32_t wl_line;
	const char *op, *txns, *source, *changes; /* into the reader's line */
	uint64_t line;
} Event;

typedef struct {
	char *path;
	GInputStream *in;
	char buf[READ_BUF];
	gsize pos, len;
	gboolean eof;
	GString *text; /* the current line, without its newline */
	uint64_t lineno;
	char *protocol, *mode, *workload;
	unsigned cores;
	const char *absent; /* the protocol's name of not-present */
	unsigned core;      /* the pass's core */
	uint64_t ordinal;   /* its events read so far */
	uint64_t events;    /* its events, for the total */
	gboolean has;       /* cur is an event of core */
	Event cur;
	GString *inval;     /* cur's invalidated caches: "c1 c2" */
	unsigned n_inval;   /* how many */
	uint64_t victim;    /* cur's evicted line, or UINT64_MAX */
} Reader;

static void reader_free(Reader *r)
{
	if (!r)
		return;
	g_clear_object(&r->in);
	if (r->text)
		g_string_free(r->text, TRUE);
	if (r->inval)
		g_string_free(r->inval, TRUE);
	g_free(r->path);
	g_free(r->protocol);
	g_free(r->mode);
	g_free(r->workload);
	g_free(r);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Reader, reader_free)

static gboolean format_error(Reader *r, GError **error, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static gboolean format_error(Reader *r, GError **error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(error, COMPARE_ERROR, COMPARE_ERROR_FORMAT, "%s:%" PRIu64 ": %s", r->path,
		    r->lineno, msg);
	return FALSE;
}

/* 1: r->text holds the next line; 0: end of file; -1: error. */
static int read_line(Reader *r, GError **error)
{
	g_string_truncate(r->text, 0);
	for (;;) {
		if (r->pos == r->len) {
			if (r->eof)
				break;
			gssize got = g_input_stream_read(r->in, r->buf, sizeof r->buf, NULL, error);
			if (got < 0) {
				g_prefix_error(error, "%s: ", r->path);
				return -1;
			}
			r->pos = 0;
			r->len = (gsize)got;
			r->eof = got == 0;
			continue;
		}
		char *start = r->buf + r->pos;
		char *nl = memchr(start, '\n', r->len - r->pos);
		gsize n = nl ? (gsize)(nl - start) : r->len - r->pos;
		g_string_append_len(r->text, start, (gssize)n);
		r->pos += n + (nl != NULL);
		if (nl) {
			r->lineno++;
			return 1;
		}
	}
	if (r->text->len == 0)
		return 0;
	r->lineno++; /* a last line without a newline */
	return 1;
}

static Reader *reader_open(const char *path, GError **error)
{
	g_autoptr(Reader) r = g_new0(Reader, 1);
	r->path = g_strdup(path);
	r->text = g_string_new(NULL);
	r->inval = g_string_new(NULL);
	g_autoptr(GFile) file = g_file_new_for_path(path);
	GInputStream *in = G_INPUT_STREAM(g_file_read(file, NULL, error));
	if (!in)
		return NULL;
	if (g_str_has_suffix(path, ".gz")) {
		g_autoptr(GZlibDecompressor) z =
			g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP);
		r->in = g_converter_input_stream_new(in, G_CONVERTER(z));
		g_object_unref(in);
	} else {
		r->in = in;
	}

	int got = read_line(r, error);
	if (got < 0)
		return NULL;
	if (!got || !g_str_has_prefix(r->text->str, EVENTS_MAGIC " ")) {
		format_error(r, error,
			     "not a labyrinth event trace (no '%s' line; see docs/events.md)",
			     EVENTS_MAGIC);
		return NULL;
	}
	/* "key=value" words; workload= takes the rest of the line. */
	const char *wl = strstr(r->text->str, " workload=");
	if (wl)
		r->workload = g_strdup(wl + strlen(" workload="));
	g_auto(GStrv) words = g_strsplit(r->text->str + strlen(EVENTS_MAGIC " "), " ", -1);
	for (char **w = words; *w && !g_str_has_prefix(*w, "workload="); w++) {
		if (g_str_has_prefix(*w, "protocol="))
			r->protocol = g_strdup(*w + strlen("protocol="));
		else if (g_str_has_prefix(*w, "mode="))
			r->mode = g_strdup(*w + strlen("mode="));
		else if (g_str_has_prefix(*w, "cores="))
			r->cores = (unsigned)g_ascii_strtoull(*w + strlen("cores="), NULL, 10);
	}
	if (!r->protocol || !r->mode || r->cores == 0) {
		format_error(r, error, "the first line lacks protocol=, mode= or cores=");
		return NULL;
	}
	const Protocol *p = proto_lookup(r->protocol);
	r->absent = p ? p->state_names[0] : "I";
	got = read_line(r, error);
	if (got < 0)
		return NULL;
	if (!got || strcmp(r->text->str, EVENTS_HEADER) != 0) {
		format_error(r, error, "expected the header line of docs/events.md");
		return NULL;
	}
	return g_steal_pointer(&r);
}

static gboolean parse_u64(const char *s, int base, uint64_t *v)
{
	char *end;
	if (!*s)
		return FALSE;
	*v = g_ascii_strtoull(s, &end, base);
	return *end == '\0';
}

/* Derives cur's invalidated caches and victim from its changes field. */
static gboolean scan_changes(Reader *r, GError **error)
{
	g_string_truncate(r->inval, 0);
	r->n_inval = 0;
	r->victim = UINT64_MAX;
	const char *s = r->cur.changes;
	if (strcmp(s, "-") == 0)
		return TRUE;
	while (*s) {
		/* cN:FROM>TO[@0xLINE] */
		const char *end = strchr(s, ' ');
		if (!end)
			end = s + strlen(s);
		const char *colon = memchr(s, ':', (size_t)(end - s));
		const char *gt = colon ? memchr(colon, '>', (size_t)(end - colon)) : NULL;
		if (*s != 'c' || !colon || !gt)
			return format_error(r, error,
					    "expected a state change cN:FROM>TO, found '%.*s'",
					    (int)(end - s), s);
		const char *at = memchr(gt, '@', (size_t)(end - gt));
		unsigned cache = (unsigned)g_ascii_strtoull(s + 1, NULL, 10);
		size_t from_len = (size_t)(gt - colon - 1);
		const char *to = gt + 1;
		size_t to_len = (size_t)((at ? at : end) - to);
		size_t absent_len = strlen(r->absent);
		gboolean from_absent =
			from_len == absent_len && !memcmp(colon + 1, r->absent, from_len);
		gboolean to_absent = to_len == absent_len && !memcmp(to, r->absent, to_len);
		if (at) {
			r->victim = g_ascii_strtoull(at + 1, NULL, 16);
		} else if (to_absent && !from_absent && cache != r->cur.core) {
			if (r->inval->len)
				g_string_append_c(r->inval, ' ');
			g_string_append_printf(r->inval, "c%u", cache);
			r->n_inval++;
		}
		s = *end ? end + 1 : end;
	}
	return TRUE;
}

/* Reads up to core r->core's next event: r->has says whether there is one. */
static gboolean reader_next(Reader *r, GError **error)
{
	for (;;) {
		int got = read_line(r, error);
		if (got < 0)
			return FALSE;
		if (!got) {
			r->has = FALSE;
			return TRUE;
		}
		char *line = r->text->str;
		char *tab = strchr(line, '\t');
		if (!tab)
			return format_error(r, error, "expected %d tab-separated fields",
					    EVENTS_N_FIELDS);
		unsigned core = (unsigned)g_ascii_strtoull(tab + 1, NULL, 10);
		if (core >= r->cores)
			return format_error(r, error, "core %u, but the trace has cores=%u", core,
					    r->cores);
		if (core != r->core)
			continue;

		char *f[EVENTS_N_FIELDS];
		int n = 0;
		for (char *p = line;;) {
			if (n == EVENTS_N_FIELDS)
				return format_error(r, error, "more than %d tab-separated fields",
						    EVENTS_N_FIELDS);
			f[n++] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (n != EVENTS_N_FIELDS)
			return format_error(r, error, "expected %d tab-separated fields, found %d",
					    EVENTS_N_FIELDS, n);
		Event *e = &r->cur;
		uint64_t v;
		e->core = core;
		if (!parse_u64(f[0], 10, &e->cycle) || !parse_u64(f[7], 16, &e->line))
			return format_error(r, error, "a bad cycle or line address");
		e->has_op = strcmp(f[2], "-") != 0;
		if (e->has_op) {
			if (!parse_u64(f[2], 10, &e->op_index) || !parse_u64(f[3], 10, &v))
				return format_error(r, error, "a bad op_index or wl_line");
			e->wl_line = (uint32_t)v;
		} else {
			e->op_index = UINT64_MAX;
			e->wl_line = 0;
		}
		e->key = e->has_op ? e->op_index : r->ordinal;
		e->op = f[4];
		e->txns = f[8];
		e->source = f[9];
		e->changes = f[10];
		r->ordinal++;
		r->events++;
		r->has = TRUE;
		return scan_changes(r, error);
	}
}

typedef struct {
	CompareEvents *res;
	GHashTable *lines; /* &CompareLineDiff.line -> CompareLineDiff */
	double best_cycle; /* of the recorded first divergence */
} Walk;

static CompareLineDiff *line_diff(Walk *w, uint64_t line)
{
	CompareLineDiff *d = g_hash_table_lookup(w->lines, &line);
	if (!d) {
		d = g_new0(CompareLineDiff, 1);
		d->line = line;
		g_hash_table_insert(w->lines, &d->line, d);
	}
	return d;
}

/* Adds side s's current event to its lines' counts. */
static void aggregate(Walk *w, Reader *r, int s)
{
	const Event *e = &r->cur;
	CompareLineDiff *d = line_diff(w, e->line);
	if (strcmp(e->txns, "-") != 0) {
		for (const char *t = e->txns; t; t = strchr(t, '+')) {
			if (*t == '+')
				t++;
			if (g_str_has_prefix(t, "Flush") && r->victim != UINT64_MAX)
				line_diff(w, r->victim)->txns[s]++; /* the victim's write-back */
			else
				d->txns[s]++;
		}
	}
	d->invalidations[s] += r->n_inval;
	d->transfers[s] += e->source[0] == 'c';
}

/* What an event did, comparably: "BusRd from memory", "no bus", ... */
static void describe(GString *s, const Reader *r)
{
	const Event *e = &r->cur;
	g_string_append(s, strcmp(e->txns, "-") == 0 ? "no bus" : e->txns);
	if (strcmp(e->source, "none") != 0)
		g_string_append_printf(s, " from %s", e->source);
	if (r->inval->len)
		g_string_append_printf(s, ", invalidates %s", r->inval->str);
}

static gboolean same_event(const Reader *a, const Reader *b)
{
	return strcmp(a->cur.txns, b->cur.txns) == 0 && strcmp(a->cur.source, b->cur.source) == 0 &&
	       strcmp(a->inval->str, b->inval->str) == 0;
}

#define DESCRIBE_MAX 4 /* events quoted per side for the first divergence */

/* One pass: core c's operations in both traces, in op index order. */
static gboolean walk_core(Walk *w, Reader **rd, unsigned c, GError **error)
{
	CompareEvents *res = w->res;
	gboolean core_done = FALSE; /* its first divergence is recorded */
	g_autoptr(GString) what0 = g_string_new(NULL), what1 = g_string_new(NULL);
	GString *what[2] = { what0, what1 };
	for (int s = 0; s < 2; s++) {
		rd[s]->core = c;
		if (!reader_next(rd[s], error))
			return FALSE;
	}
	while (rd[0]->has || rd[1]->has) {
		uint64_t k0 = rd[0]->has ? rd[0]->cur.key : UINT64_MAX;
		uint64_t k1 = rd[1]->has ? rd[1]->cur.key : UINT64_MAX;
		uint64_t key = MIN(k0, k1);
		gboolean in[2] = { k0 == key && rd[0]->has, k1 == key && rd[1]->has };
		int first = in[0] ? 0 : 1;
		uint64_t cycle[2] = { in[0] ? rd[0]->cur.cycle : 0, in[1] ? rd[1]->cur.cycle : 0 };
		uint64_t op_index = rd[first]->cur.has_op ? rd[first]->cur.op_index : UINT64_MAX;
		uint32_t wl_line = rd[first]->cur.wl_line;
		g_autofree char *op = g_strdup(rd[first]->cur.op);
		gboolean differ = !in[0] || !in[1];
		unsigned n[2] = { 0, 0 };
		g_string_truncate(what[0], 0);
		g_string_truncate(what[1], 0);
		for (;;) {
			gboolean has[2];
			for (int s = 0; s < 2; s++)
				has[s] = rd[s]->has && rd[s]->cur.key == key;
			if (!has[0] && !has[1])
				break;
			if (!has[0] || !has[1] || !same_event(rd[0], rd[1]))
				differ = TRUE;
			for (int s = 0; s < 2; s++) {
				if (!has[s])
					continue;
				if (!core_done && n[s] < DESCRIBE_MAX) {
					if (n[s])
						g_string_append(what[s], " | ");
					describe(what[s], rd[s]);
				}
				n[s]++;
				aggregate(w, rd[s], s);
				if (!reader_next(rd[s], error))
					return FALSE;
			}
		}
		res->operations++;
		if (!differ)
			continue;
		res->differing++;
		if (core_done)
			continue;
		core_done = TRUE;
		CompareOpRef ref = { c, op_index, wl_line };
		g_array_append_val(res->first_per_core, ref);
		/* Cores are walked in order, so an equal cycle keeps the lower core. */
		double when = (double)cycle[first];
		if (res->diverged && when >= w->best_cycle)
			continue;
		res->diverged = TRUE;
		w->best_cycle = when;
		res->core = c;
		res->op_index = op_index;
		res->wl_line = wl_line;
		g_free(res->op);
		res->op = g_steal_pointer(&op);
		for (int s = 0; s < 2; s++) {
			res->cycle[s] = cycle[s];
			g_free(res->what[s]);
			if (n[s] > DESCRIBE_MAX)
				g_string_append_printf(what[s], " | ... %u more",
						       n[s] - DESCRIBE_MAX);
			res->what[s] = g_strdup(n[s] ? what[s]->str : "(none)");
		}
	}
	return TRUE;
}

static uint64_t absdiff(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

static uint64_t difference(const CompareLineDiff *d)
{
	return absdiff(d->txns[0], d->txns[1]) + absdiff(d->invalidations[0], d->invalidations[1]) +
	       absdiff(d->transfers[0], d->transfers[1]);
}

static int by_difference(gconstpointer a, gconstpointer b)
{
	const CompareLineDiff *x = a, *y = b;
	uint64_t dx = difference(x), dy = difference(y);
	if (dx != dy)
		return dx > dy ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

gboolean compare_events(const char *path_a, const char *path_b, CompareEvents *res,
			GError **error)
{
	memset(res, 0, sizeof *res);
	res->first_per_core = g_array_new(FALSE, FALSE, sizeof(CompareOpRef));
	res->lines = g_array_new(FALSE, FALSE, sizeof(CompareLineDiff));
	res->op_index = UINT64_MAX;
	const char *paths[2] = { path_a, path_b };
	Walk w = { res, g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, g_free), 0 };
	gboolean ok = TRUE;
	unsigned cores = 1;
	for (unsigned c = 0; ok && c < cores; c++) {
		Reader *rd[2] = { NULL, NULL };
		for (int s = 0; s < 2 && ok; s++)
			ok = (rd[s] = reader_open(paths[s], error)) != NULL;
		if (ok && c == 0) {
			cores = MAX(rd[0]->cores, rd[1]->cores);
			for (int s = 0; s < 2; s++) {
				res->label[s] = g_strdup(paths[s]);
				res->protocol[s] = g_strdup(rd[s]->protocol);
				res->mode[s] = g_strdup(rd[s]->mode);
				res->workload[s] = g_strdup(rd[s]->workload);
			}
		}
		ok = ok && walk_core(&w, rd, c, error);
		for (int s = 0; s < 2; s++) {
			if (rd[s])
				res->events[s] += rd[s]->events;
			reader_free(rd[s]);
		}
	}
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, w.lines);
	while (g_hash_table_iter_next(&it, NULL, &v))
		if (difference(v))
			g_array_append_vals(res->lines, v, 1);
	g_array_sort(res->lines, by_difference);
	g_hash_table_destroy(w.lines);
	return ok;
}

void compare_events_clear(CompareEvents *res)
{
	for (int s = 0; s < 2; s++) {
		g_free(res->label[s]);
		g_free(res->protocol[s]);
		g_free(res->mode[s]);
		g_free(res->workload[s]);
		g_free(res->what[s]);
	}
	g_free(res->op);
	if (res->first_per_core)
		g_array_free(res->first_per_core, TRUE);
	if (res->lines)
		g_array_free(res->lines, TRUE);
	memset(res, 0, sizeof *res);
}

static void print_op(FILE *out, unsigned core, uint64_t op_index, uint32_t wl_line)
{
	fprintf(out, "core %u", core);
	if (op_index != UINT64_MAX)
		fprintf(out, ", operation %" PRIu64 " (workload line %" PRIu32 ")", op_index,
			wl_line);
}

void compare_events_print(const CompareEvents *res, unsigned top, FILE *out)
{
	for (int s = 0; s < 2; s++)
		fprintf(out, "%c: %s (%s, %s mode, %" PRIu64 " events)\n", "AB"[s], res->label[s],
			res->protocol[s], res->mode[s], res->events[s]);
	if (!res->diverged) {
		fprintf(out, "no divergence: all %" PRIu64 " operations have the same bus "
			     "transactions, data sources and invalidations\n",
			res->operations);
	} else {
		fprintf(out, "first divergence: ");
		print_op(out, res->core, res->op_index, res->wl_line);
		fprintf(out, ", %s\n", res->op);
		for (int s = 0; s < 2; s++)
			fprintf(out, "  %c at cycle %" PRIu64 ": %s\n", "AB"[s], res->cycle[s],
				res->what[s]);
		fprintf(out, "%" PRIu64 " of %" PRIu64 " operations differ; first per core:",
			res->differing, res->operations);
		for (guint i = 0; i < res->first_per_core->len; i++) {
			const CompareOpRef *e =
				&g_array_index(res->first_per_core, CompareOpRef, i);
			fprintf(out, "%s ", i ? ";" : "");
			print_op(out, e->core, e->op_index, e->wl_line);
		}
		fputc('\n', out);
	}
	if (res->lines->len == 0) {
		fprintf(out, "no line differs in transactions, invalidations or transfers\n");
		return;
	}
	guint shown = MIN(top, res->lines->len);
	fprintf(out, "\n%u of %u lines that differ, most different first (A / B):\n", shown,
		res->lines->len);
	fprintf(out, "%-18s %19s %19s %19s\n", "line", "bus transactions", "invalidations",
		"transfers");
	for (guint i = 0; i < shown; i++) {
		const CompareLineDiff *d = &g_array_index(res->lines, CompareLineDiff, i);
		char cell[3][48];
		g_snprintf(cell[0], sizeof cell[0], "%" PRIu64 " / %" PRIu64, d->txns[0],
			   d->txns[1]);
		g_snprintf(cell[1], sizeof cell[1], "%" PRIu64 " / %" PRIu64, d->invalidations[0],
			   d->invalidations[1]);
		g_snprintf(cell[2], sizeof cell[2], "%" PRIu64 " / %" PRIu64, d->transfers[0],
			   d->transfers[1]);
		fprintf(out, "0x%-16" PRIx64 " %19s %19s %19s\n", d->line, cell[0], cell[1],
			cell[2]);
	}
}
