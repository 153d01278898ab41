/* sweep.c - the grid of a sweep and the rows of sweep.csv (sweep.h).
 *
 * A point is an index into the cross product of the axes, read like an
 * odometer with axis 0 (cores) as the fastest wheel.  Its id, its command
 * line and its CSV row are pure functions of the grid and the index, which
 * is what makes sweep.csv independent of -j, of resuming, and of whether
 * the points ran here or through --emit-jobs on a cluster.
 *
 * The statistics columns are one table (stat_columns) of CSV name and JSON
 * key, read by name from the run's JSON (shared/spec/stats.md).  A key the
 * JSON lacks -- allocator statistics from a run without the allocator,
 * timing-only keys in functional mode -- leaves its cell empty, and the
 * caller is told which, so it can say so once.
 */
#include <string.h>

#include "sweep.h"

G_DEFINE_QUARK(labyrinth-sweep-error-quark, sweep_error)

#define GRID_FORMAT 1

gboolean sweep_bad_input(GError **error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error_literal(error, SWEEP_ERROR, SWEEP_ERROR_AXIS, msg);
	return FALSE;
}

typedef struct {
	const char *column; /* the CSV header's name */
	const char *key;    /* JSON path: members joined by '.'; "a[].b" sums b over array a */
} StatColumn;

/* What the issue asks for (cycles, misses, invalidations, bus utilization,
 * allocator latency, lock wait, failures), and what the figures in plots/
 * divide or stack: operations and accesses to normalise by, where missed
 * lines came from, the bus transactions by type, lock and allocation
 * counts.  Lock counts are summed over "cores", which both modes write. */
static const StatColumn stat_columns[] = {
	{ "operations", "workload.operations" },
	{ "cycles", "cycles" },
	{ "accesses", "totals.accesses" },
	{ "hits", "totals.hits" },
	{ "misses", "totals.misses" },
	{ "upgrades", "totals.upgrades" },
	{ "updates", "totals.updates" },
	{ "evictions", "totals.evictions" },
	{ "writebacks", "totals.writebacks" },
	{ "invalidations", "totals.invalidations_received" },
	{ "c2c_transfers", "totals.c2c_supplied" },
	{ "memory_reads", "memory.reads" },
	{ "memory_writes", "memory.writes" },
	{ "bus_BusRd", "bus.BusRd" },
	{ "bus_BusRdX", "bus.BusRdX" },
	{ "bus_BusUpgr", "bus.BusUpgr" },
	{ "bus_BusUpd", "bus.BusUpd" },
	{ "bus_BusInv", "bus.BusInv" },
	{ "bus_Flush", "bus.Flush" },
	{ "bus_busy_cycles", "bus.busy_cycles" },
	{ "bus_utilization", "bus.utilization" },
	{ "bus_queue_delay_p50", "bus.queue_delay_cycles.p50" },
	{ "bus_queue_delay_p99", "bus.queue_delay_cycles.p99" },
	{ "lock_acquires", "cores[].lock_acquires" },
	{ "lock_wait_cycles", "cores[].lock_wait_cycles" },
	{ "lock_handoffs", "locks.handoffs" },
	{ "allocs", "allocator.allocs" },
	{ "frees", "allocator.frees" },
	{ "alloc_failures", "allocator.failures" },
	{ "alloc_latency_mean", "allocator.latency_cycles.mean" },
	{ "alloc_latency_p50", "allocator.latency_cycles.p50" },
	{ "alloc_latency_p99", "allocator.latency_cycles.p99" },
	{ "alloc_latency_max", "allocator.latency_cycles.max" },
	{ "alloc_lock_acquisitions", "allocator.zone_lock.acquisitions" },
	{ "alloc_lock_wait_cycles", "allocator.lock_wait_cycles" },
	{ "alloc_metadata_invalidations", "allocator.traffic.alloc_metadata_invalidations" },
	{ "claim_invalidations", "allocator.claim_invalidations" },
	{ "reserve_dips", "allocator.reserve_dips" },
};

static void axis_free(gpointer p)
{
	SweepAxis *a = p;
	g_free(a->name);
	g_ptr_array_unref(a->values);
	g_free(a);
}

SweepGrid *sweep_grid_new(void)
{
	SweepGrid *g = g_new0(SweepGrid, 1);
	g->axes = g_ptr_array_new_with_free_func(axis_free);
	return g;
}

void sweep_grid_free(SweepGrid *g)
{
	if (!g)
		return;
	g_free(g->workload);
	g_free(g->gen_pattern);
	g_free(g->gen_ops);
	g_free(g->gen_seed);
	g_free(g->config);
	g_free(g->label);
	g_ptr_array_unref(g->axes);
	g_free(g);
}

static SweepAxis *find_axis(const SweepGrid *g, const char *name)
{
	for (guint a = 0; a < g->axes->len; a++) {
		SweepAxis *axis = g_ptr_array_index(g->axes, a);
		if (strcmp(axis->name, name) == 0)
			return axis;
	}
	return NULL;
}

const SweepAxis *sweep_grid_axis(const SweepGrid *g, const char *name)
{
	return find_axis(g, name);
}

/* Replaces axis name's values with those of strv (or adds the axis). */
static gboolean set_axis_values(SweepGrid *g, const char *name, char **strv, GError **error)
{
	g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func(g_free);
	for (char **v = strv; *v; v++) {
		g_autofree char *value = g_strstrip(g_strdup(*v));
		if (!*value) {
			g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_AXIS,
				    "%s: an empty value in the list", name);
			return FALSE;
		}
		for (guint k = 0; k < values->len; k++)
			if (strcmp(g_ptr_array_index(values, k), value) == 0) {
				g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_AXIS,
					    "%s: '%s' is listed twice", name, value);
				return FALSE;
			}
		g_ptr_array_add(values, g_steal_pointer(&value));
	}
	if (values->len == 0) {
		g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_AXIS, "%s: no values", name);
		return FALSE;
	}
	SweepAxis *axis = find_axis(g, name);
	if (!axis) {
		axis = g_new0(SweepAxis, 1);
		axis->name = g_strdup(name);
		g_ptr_array_add(g->axes, axis);
	} else {
		g_ptr_array_unref(axis->values);
	}
	axis->values = g_steal_pointer(&values);
	return TRUE;
}

gboolean sweep_grid_set_axis(SweepGrid *g, const char *name, const char *list, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(list, ",", -1);
	return set_axis_values(g, name, parts, error);
}

gsize sweep_grid_n_points(const SweepGrid *g)
{
	gsize n = 1;
	for (guint a = 0; a < g->axes->len; a++)
		n *= ((SweepAxis *)g_ptr_array_index(g->axes, a))->values->len;
	return g->axes->len ? n : 0;
}

void sweep_grid_point(const SweepGrid *g, gsize i, const char **values)
{
	g_assert(i < sweep_grid_n_points(g));
	for (guint a = 0; a < g->axes->len; a++) {
		const SweepAxis *axis = g_ptr_array_index(g->axes, a);
		values[a] = g_ptr_array_index(axis->values, i % axis->values->len);
		i /= axis->values->len;
	}
}

char *sweep_point_id(const SweepGrid *g, gsize i)
{
	const char *values[g->axes->len];
	sweep_grid_point(g, i, values);
	GString *id = g_string_new(NULL);
	for (guint a = 0; a < g->axes->len; a++) {
		const SweepAxis *axis = g_ptr_array_index(g->axes, a);
		g_string_append_printf(id, "%s%s=%s", a ? "," : "", axis->name, values[a]);
	}
	for (gsize k = 0; k < id->len; k++) {
		char c = id->str[k];
		if (!g_ascii_isalnum(c) && !strchr("._=,+-", c))
			id->str[k] = '_';
	}
	return g_string_free(id, FALSE);
}

gboolean sweep_grid_check_ids(const SweepGrid *g, GError **error)
{
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	gsize n = sweep_grid_n_points(g);
	for (gsize i = 0; i < n; i++) {
		char *id = sweep_point_id(g, i);
		if (!g_hash_table_add(seen, id)) {
			g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_AXIS,
				    "two points would share the file name %s: values that differ "
				    "only in characters other than letters, digits and ._+- "
				    "cannot be told apart",
				    id);
			return FALSE;
		}
	}
	return TRUE;
}

char *sweep_point_workload(const SweepGrid *g, gsize i, const char *dir)
{
	if (g->workload)
		return g_strdup(g->workload);
	const char *values[g->axes->len];
	sweep_grid_point(g, i, values);
	g_autofree char *name = g_strdup_printf("%s-cores=%s.wl", g->gen_pattern, values[0]);
	return g_build_filename(dir, "workloads", name, NULL);
}

char **sweep_point_run_args(const SweepGrid *g, gsize i, const char *dir)
{
	g_assert(g->axes->len >= 2);
	const char *values[g->axes->len];
	sweep_grid_point(g, i, values);
	GPtrArray *args = g_ptr_array_new();
	g_ptr_array_add(args, g_strdup("run"));
	g_ptr_array_add(args, sweep_point_workload(g, i, dir));
	if (g->config) {
		g_ptr_array_add(args, g_strdup("--config"));
		g_ptr_array_add(args, g_strdup(g->config));
	}
	for (guint a = 0; a < g->axes->len; a++) {
		const SweepAxis *axis = g_ptr_array_index(g->axes, a);
		if (a < 2 || strcmp(axis->name, "mode") == 0) {
			g_ptr_array_add(args, g_strconcat("--", axis->name, NULL));
			g_ptr_array_add(args, g_strdup(values[a]));
		} else {
			g_ptr_array_add(args, g_strdup("--set"));
			g_ptr_array_add(args, g_strconcat(axis->name, "=", values[a], NULL));
		}
	}
	g_autofree char *id = sweep_point_id(g, i);
	g_autofree char *json = g_strconcat(id, ".json", NULL);
	g_ptr_array_add(args, g_strdup("--stats-json"));
	g_ptr_array_add(args, g_build_filename(dir, "points", json, NULL));
	g_ptr_array_add(args, NULL);
	return (char **)g_ptr_array_free(args, FALSE);
}

char **sweep_gen_args(const SweepGrid *g, const char *cores, const char *dir)
{
	g_assert(g->gen_pattern);
	g_autofree char *name = g_strdup_printf("%s-cores=%s.wl", g->gen_pattern, cores);
	GPtrArray *args = g_ptr_array_new();
	g_ptr_array_add(args, g_strdup("gen"));
	g_ptr_array_add(args, g_strdup(g->gen_pattern));
	g_ptr_array_add(args, g_strdup("--cores"));
	g_ptr_array_add(args, g_strdup(cores));
	if (g->gen_ops) {
		g_ptr_array_add(args, g_strdup("--ops"));
		g_ptr_array_add(args, g_strdup(g->gen_ops));
	}
	if (g->gen_seed) {
		g_ptr_array_add(args, g_strdup("--seed"));
		g_ptr_array_add(args, g_strdup(g->gen_seed));
	}
	g_ptr_array_add(args, g_strdup("-o"));
	g_ptr_array_add(args, g_build_filename(dir, "workloads", name, NULL));
	g_ptr_array_add(args, NULL);
	return (char **)g_ptr_array_free(args, FALSE);
}

/* ------------------------------------------------------------------------
 * The grid file. */

char *sweep_grid_to_data(const SweepGrid *g)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_key_file_set_integer(kf, "sweep", "format", GRID_FORMAT);
	g_key_file_set_string(kf, "sweep", "label", g->label);
	if (g->workload)
		g_key_file_set_string(kf, "sweep", "workload", g->workload);
	if (g->gen_pattern)
		g_key_file_set_string(kf, "sweep", "gen", g->gen_pattern);
	if (g->gen_ops)
		g_key_file_set_string(kf, "sweep", "ops", g->gen_ops);
	if (g->gen_seed)
		g_key_file_set_string(kf, "sweep", "seed", g->gen_seed);
	if (g->config)
		g_key_file_set_string(kf, "sweep", "config", g->config);
	for (guint a = 0; a < g->axes->len; a++) {
		const SweepAxis *axis = g_ptr_array_index(g->axes, a);
		g_key_file_set_string_list(kf, "axes", axis->name,
					   (const char *const *)axis->values->pdata,
					   axis->values->len);
	}
	g_key_file_set_comment(kf, NULL, NULL,
			       " The grid of a labyrinth sweep: what `labyrinth sweep --collect`\n"
			       " reads to list the points in order.  Written by the sweep.",
			       NULL);
	return g_key_file_to_data(kf, NULL, NULL);
}

static char *optional_string(GKeyFile *kf, const char *key)
{
	return g_key_file_get_string(kf, "sweep", key, NULL);
}

SweepGrid *sweep_grid_from_data(const char *data, const char *path, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) err = NULL;
	if (!g_key_file_load_from_data(kf, data, (gsize)-1, G_KEY_FILE_NONE, &err)) {
		g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_GRID, "%s: %s", path, err->message);
		return NULL;
	}
	int format = g_key_file_get_integer(kf, "sweep", "format", NULL);
	if (format != GRID_FORMAT) {
		g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_GRID,
			    "%s: not a sweep grid of format %d (found format %d)", path,
			    GRID_FORMAT, format);
		return NULL;
	}
	g_autoptr(SweepGrid) g = sweep_grid_new();
	g->label = optional_string(kf, "label");
	g->workload = optional_string(kf, "workload");
	g->gen_pattern = optional_string(kf, "gen");
	g->gen_ops = optional_string(kf, "ops");
	g->gen_seed = optional_string(kf, "seed");
	g->config = optional_string(kf, "config");
	g_auto(GStrv) names = g_key_file_get_keys(kf, "axes", NULL, NULL);
	for (char **name = names; name && *name; name++) {
		g_auto(GStrv) values = g_key_file_get_string_list(kf, "axes", *name, NULL, NULL);
		if (!values || !set_axis_values(g, *name, values, &err)) {
			g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_GRID, "%s: [axes] %s: %s", path,
				    *name, err ? err->message : "not a list");
			return NULL;
		}
	}
	if (!g->label || !g->workload == !g->gen_pattern || g->axes->len < 2 ||
	    strcmp(((SweepAxis *)g_ptr_array_index(g->axes, 0))->name, "cores") != 0 ||
	    strcmp(((SweepAxis *)g_ptr_array_index(g->axes, 1))->name, "protocol") != 0) {
		g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_GRID,
			    "%s: expected a label, a workload or a gen pattern, and the axes "
			    "cores and protocol first",
			    path);
		return NULL;
	}
	return g_steal_pointer(&g);
}

gboolean sweep_grid_same_source(const SweepGrid *a, const SweepGrid *b)
{
	return g_strcmp0(a->workload, b->workload) == 0 &&
	       g_strcmp0(a->gen_pattern, b->gen_pattern) == 0 &&
	       g_strcmp0(a->gen_ops, b->gen_ops) == 0 && g_strcmp0(a->gen_seed, b->gen_seed) == 0 &&
	       g_strcmp0(a->config, b->config) == 0;
}

/* ------------------------------------------------------------------------
 * sweep.csv */

/* A field as RFC 4180 wants it: quoted when it holds a comma, a quote or a
 * line break, quotes doubled. */
static void append_field(GString *s, const char *field)
{
	if (!strpbrk(field, ",\"\r\n")) {
		g_string_append(s, field);
		return;
	}
	g_string_append_c(s, '"');
	for (const char *p = field; *p; p++) {
		if (*p == '"')
			g_string_append_c(s, '"');
		g_string_append_c(s, *p);
	}
	g_string_append_c(s, '"');
}

char *sweep_csv_header(const SweepGrid *g)
{
	GString *s = g_string_new("workload");
	for (guint a = 0; a < g->axes->len; a++) {
		g_string_append_c(s, ',');
		append_field(s, ((SweepAxis *)g_ptr_array_index(g->axes, a))->name);
	}
	g_string_append(s, ",status");
	for (gsize k = 0; k < G_N_ELEMENTS(stat_columns); k++)
		g_string_append_printf(s, ",%s", stat_columns[k].column);
	g_string_append_c(s, '\n');
	return g_string_free(s, FALSE);
}

/* The node at a dotted path of members under node, or NULL. */
static JsonNode *resolve(JsonNode *node, const char *path)
{
	g_auto(GStrv) parts = g_strsplit(path, ".", -1);
	for (char **p = parts; *p && node; p++) {
		if (!JSON_NODE_HOLDS_OBJECT(node))
			return NULL;
		JsonObject *o = json_node_get_object(node);
		node = json_object_has_member(o, *p) ? json_object_get_member(o, *p) : NULL;
	}
	return node;
}

static gboolean is_integer(JsonNode *n)
{
	return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_INT64;
}

/* A number as the CSV shows it: integers exactly, fractions to 6 digits. */
static char *number_text(JsonNode *n)
{
	if (is_integer(n))
		return g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(n));
	if (n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_DOUBLE) {
		char buf[G_ASCII_DTOSTR_BUF_SIZE];
		return g_strdup(g_ascii_formatd(buf, sizeof buf, "%.6g", json_node_get_double(n)));
	}
	return NULL;
}

/* The value of key (a StatColumn's) in root as text; NULL if absent. */
static char *stat_text(JsonNode *root, const char *key)
{
	const char *sum = strstr(key, "[].");
	if (!sum)
		return number_text(resolve(root, key));
	g_autofree char *array_key = g_strndup(key, (gsize)(sum - key));
	JsonNode *array = resolve(root, array_key);
	if (!array || !JSON_NODE_HOLDS_ARRAY(array))
		return NULL;
	gint64 total = 0;
	JsonArray *elements = json_node_get_array(array);
	for (guint k = 0; k < json_array_get_length(elements); k++) {
		JsonNode *v = resolve(json_array_get_element(elements, k), sum + 3);
		if (!is_integer(v))
			return NULL;
		total += json_node_get_int(v);
	}
	return g_strdup_printf("%" G_GINT64_FORMAT, total);
}

gsize sweep_n_stat_columns(void)
{
	return G_N_ELEMENTS(stat_columns);
}

const char *sweep_stat_column(gsize k)
{
	g_assert(k < G_N_ELEMENTS(stat_columns));
	return stat_columns[k].column;
}

char *sweep_csv_row(const SweepGrid *g, gsize i, const char *status, JsonNode *stats,
		    gboolean *absent)
{
	const char *values[g->axes->len];
	sweep_grid_point(g, i, values);
	g_assert((stats != NULL) == (strcmp(status, "ok") == 0));
	g_assert(g->label);
	GString *s = g_string_new(NULL);
	append_field(s, g->label);
	for (guint a = 0; a < g->axes->len; a++) {
		g_string_append_c(s, ',');
		append_field(s, values[a]);
	}
	g_string_append_c(s, ',');
	g_string_append(s, status);
	for (gsize k = 0; k < G_N_ELEMENTS(stat_columns); k++) {
		g_string_append_c(s, ',');
		if (!stats)
			continue;
		g_autofree char *text = stat_text(stats, stat_columns[k].key);
		if (text)
			g_string_append(s, text);
		else if (absent)
			absent[k] = TRUE;
	}
	g_string_append_c(s, '\n');
	return g_string_free(s, FALSE);
}
