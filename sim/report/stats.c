/* stats.c - statistics as JSON (json-glib) and as a report for people.
 *
 * Both are built from the same counters in the same order, so the report
 * and the JSON never disagree.  Keys are those of shared/spec/stats.md;
 * "transitions" (the protocol's (state, event) matrix) is an addition, and
 * so is "hot_lines" (the contention report of hotlines.h, with --hot-lines).
 */
#include <gio/gio.h>
#include <inttypes.h>
#include <string.h>

#include "autoconfig.h"
#include "stats.h"
#include "util/histogram.h"
#include "util/outfile.h"

#define CACHE_FIELDS(X)                                                                            \
	X(accesses) X(hits) X(misses) X(upgrades) X(updates) X(evictions) X(writebacks)            \
	X(invalidations_received) X(c2c_supplied)

/* Every integer of the statistics is unsigned, and json-glib holds only
 * signed 64-bit ones: a count at or above 2^63 would come out negative
 * while the report showed it right.  The input limits keep every count
 * far below (docs/cli.md: compute, cores, operations, latencies), so one
 * that got there is a broken invariant, not a number to print. */
static void add_uint(JsonBuilder *b, const char *key, uint64_t v)
{
	g_assert(v <= (uint64_t)G_MAXINT64);
	json_builder_set_member_name(b, key);
	json_builder_add_int_value(b, (gint64)v);
}

/* {"count", "mean", "p50", "p99", "max"} of a latency distribution. */
static void add_histogram(JsonBuilder *b, const char *key, const Histogram *h)
{
	json_builder_set_member_name(b, key);
	json_builder_begin_object(b);
	add_uint(b, "count", hist_count(h));
	json_builder_set_member_name(b, "mean");
	json_builder_add_double_value(b, hist_mean(h));
	add_uint(b, "p50", hist_quantile(h, 0.50));
	add_uint(b, "p99", hist_quantile(h, 0.99));
	add_uint(b, "max", hist_max(h));
	json_builder_end_object(b);
}

static void add_config(JsonBuilder *b, const Config *cfg)
{
	/* [system] keys sit at the top of "config"; other groups are objects. */
	const char *open_group = NULL;
	for (int i = 0; i < config_n_keys(); i++) {
		const ConfigKeyInfo *k = config_key(i);
		if (strcmp(k->group, "system") != 0 &&
		    (!open_group || strcmp(open_group, k->group) != 0)) {
			if (open_group)
				json_builder_end_object(b);
			json_builder_set_member_name(b, k->group);
			json_builder_begin_object(b);
			open_group = k->group;
		}
		g_autofree char *v = config_value_string(cfg, k->group, k->key);
		if (k->is_number) {
			add_uint(b, k->key, g_ascii_strtoull(v, NULL, 10));
		} else {
			json_builder_set_member_name(b, k->key);
			json_builder_add_string_value(b, v);
		}
	}
	if (open_group)
		json_builder_end_object(b);
}

static CacheStats total_cache_stats(const Machine *m)
{
	CacheStats t = { 0 };
	for (unsigned c = 0; c < machine_n_cores(m); c++) {
		const CacheStats *s = machine_cache_stats(m, c);
#define ADD(f) t.f += s->f;
		CACHE_FIELDS(ADD)
#undef ADD
	}
	return t;
}

static void add_cache_fields(JsonBuilder *b, const CacheStats *s)
{
#define ADD(f) add_uint(b, #f, s->f);
	CACHE_FIELDS(ADD)
#undef ADD
}

static void add_transitions(JsonBuilder *b, const Machine *m)
{
	const Protocol *p = machine_protocol(m);
	const uint64_t *counts = machine_transition_counts(m);
	json_builder_set_member_name(b, "transitions");
	json_builder_begin_object(b);
	for (int s = 0; s < p->n_states; s++) {
		json_builder_set_member_name(b, p->state_names[s]);
		json_builder_begin_object(b);
		for (int e = 0; e < PROTO_N_EVENTS; e++)
			if (counts[s * PROTO_N_EVENTS + e])
				add_uint(b, proto_event_name(e), counts[s * PROTO_N_EVENTS + e]);
		json_builder_end_object(b);
	}
	json_builder_end_object(b);
}

/* stats.md's "allocator" section of a run that never called the allocator. */
static void add_idle_allocator(JsonBuilder *b)
{
	json_builder_set_member_name(b, "allocator");
	json_builder_begin_object(b);
	add_uint(b, "allocs", 0);
	add_uint(b, "frees", 0);
	add_uint(b, "failures", 0);
	json_builder_set_member_name(b, "latency_cycles");
	json_builder_begin_object(b);
	static const char *const lat[] = { "mean", "p50", "p99", "max" };
	for (gsize i = 0; i < G_N_ELEMENTS(lat); i++)
		add_uint(b, lat[i], 0);
	json_builder_end_object(b);
	add_uint(b, "lock_wait_cycles", 0);
	add_uint(b, "claim_invalidations", 0);
	add_uint(b, "reserve_dips", 0);
	json_builder_end_object(b);
}

JsonNode *stats_to_json(const StatsInput *in)
{
	const Machine *m = in->m;
	const RunResult *res = in->res;
	unsigned n = machine_n_cores(m);
	g_autoptr(JsonBuilder) b = json_builder_new();

	json_builder_begin_object(b);
	add_uint(b, "schema", STATS_SCHEMA);
	json_builder_set_member_name(b, "labyrinth_version");
	json_builder_add_string_value(b, PACKAGE_VERSION);

	json_builder_set_member_name(b, "workload");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "path");
	json_builder_add_string_value(b, in->workload_path);
	json_builder_set_member_name(b, "name");
	if (in->workload_name)
		json_builder_add_string_value(b, in->workload_name);
	else
		json_builder_add_null_value(b);
	add_uint(b, "cores", n);
	add_uint(b, "operations", in->workload_operations);
	json_builder_end_object(b);

	json_builder_set_member_name(b, "config");
	json_builder_begin_object(b);
	add_config(b, in->cfg);
	json_builder_end_object(b);

	add_uint(b, "cycles", res->cycles);

	json_builder_set_member_name(b, "cores");
	json_builder_begin_array(b);
	for (unsigned c = 0; c < n; c++) {
		const CoreRunStats *cr = &res->cores[c];
		const CoreAccessStats *ca = machine_core_access_stats(m, c);
		json_builder_begin_object(b);
		add_uint(b, "id", c);
		add_uint(b, "cycles", cr->cycles);
		add_uint(b, "operations", cr->operations);
		add_uint(b, "loads", ca->loads);
		add_uint(b, "stores", ca->stores);
		add_uint(b, "rmws", ca->rmws);
		add_uint(b, "stall_cycles", cr->stall_cycles);
		add_uint(b, "lock_acquires", cr->lock_acquires);
		add_uint(b, "lock_wait_cycles", cr->lock_wait_cycles);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);

	json_builder_set_member_name(b, "caches");
	json_builder_begin_array(b);
	for (unsigned c = 0; c < n; c++) {
		json_builder_begin_object(b);
		add_uint(b, "core", c);
		add_cache_fields(b, machine_cache_stats(m, c));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);

	CacheStats t = total_cache_stats(m);
	json_builder_set_member_name(b, "totals");
	json_builder_begin_object(b);
	add_cache_fields(b, &t);
	json_builder_end_object(b);

	const BusStats *bus = machine_bus_stats(m);
	json_builder_set_member_name(b, "bus");
	json_builder_begin_object(b);
	for (int i = 0; i < BUS_N_TXNS; i++)
		add_uint(b, proto_txn_name(i), bus->txns[i]);
	const TimingStats *ts = res->timing;
	uint64_t busy = ts ? ts->bus_busy_cycles : 0;
	add_uint(b, "busy_cycles", busy);
	json_builder_set_member_name(b, "utilization");
	json_builder_add_double_value(b, res->cycles ? (double)busy / (double)res->cycles : 0.0);
	if (ts)
		add_histogram(b, "queue_delay_cycles", ts->bus_queue_delay);
	json_builder_end_object(b);

	if (ts) {
		json_builder_set_member_name(b, "miss_latency_cycles");
		json_builder_begin_object(b);
		add_histogram(b, "memory", ts->miss_latency_mem);
		add_histogram(b, "cache_to_cache", ts->miss_latency_c2c);
		json_builder_end_object(b);
		json_builder_set_member_name(b, "locks");
		json_builder_begin_object(b);
		uint64_t acquires = 0, wait = 0;
		for (unsigned c = 0; c < n; c++) {
			acquires += res->cores[c].lock_acquires;
			wait += res->cores[c].lock_wait_cycles;
		}
		add_uint(b, "acquires", acquires);
		add_uint(b, "wait_cycles", wait);
		add_uint(b, "handoffs", ts->lock_handoffs);
		json_builder_end_object(b);
	}

	const MemStats *mem = machine_mem_stats(m);
	json_builder_set_member_name(b, "memory");
	json_builder_begin_object(b);
	add_uint(b, "reads", mem->reads);
	add_uint(b, "writes", mem->writes);
	json_builder_end_object(b);

	if (in->kernel)
		kernel_stats_json(in->kernel, b);
	else
		add_idle_allocator(b);

	add_transitions(b, m);
	if (in->hot_lines)
		hotlines_add_json(in->hot_lines, in->hot_top, b);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

gboolean stats_write_file_atomic(const char *path, const char *data, gsize len, GError **error)
{
	return outfile_write_all(path, data, len, error);
}

gboolean stats_write_json(const StatsInput *in, const char *path, GError **error)
{
	g_autoptr(JsonNode) root = stats_to_json(in);
	g_autoptr(JsonGenerator) gen = json_generator_new();
	json_generator_set_pretty(gen, TRUE);
	json_generator_set_indent(gen, 1);
	json_generator_set_root(gen, root);
	gsize len;
	g_autofree char *text = json_generator_to_data(gen, &len);
	g_autofree char *with_nl = g_strconcat(text, "\n", NULL);
	return stats_write_file_atomic(path, with_nl, len + 1, error);
}

static void print_transitions(const Machine *m, FILE *out)
{
	const Protocol *p = machine_protocol(m);
	const uint64_t *counts = machine_transition_counts(m);
	fprintf(out, "\nTransitions taken (%s): rows are states, columns events\n", p->name);
	fprintf(out, "%-6s", "state");
	for (int e = 0; e < PROTO_N_EVENTS; e++)
		fprintf(out, " %12s", proto_event_name(e));
	fputc('\n', out);
	for (int s = 0; s < p->n_states; s++) {
		fprintf(out, "%-6s", p->state_names[s]);
		for (int e = 0; e < PROTO_N_EVENTS; e++) {
			if (!proto_row(p, s, e)->defined)
				fprintf(out, " %12s", "x");
			else
				fprintf(out, " %12" PRIu64, counts[s * PROTO_N_EVENTS + e]);
		}
		fputc('\n', out);
	}
	fprintf(out, "(x: the table has no row; the pair cannot happen)\n");
}

static void print_histogram(FILE *out, const char *label, const Histogram *h)
{
	fprintf(out, "%s: %" PRIu64 " samples, mean %.1f, p50 %" PRIu64 ", p99 %" PRIu64
		     ", max %" PRIu64 " cycles",
		label, hist_count(h), hist_mean(h), hist_quantile(h, 0.5), hist_quantile(h, 0.99),
		hist_max(h));
}

static void print_cache_row(FILE *out, const char *label, const CacheStats *s)
{
	double rate = s->accesses ? 100.0 * s->hits / s->accesses : 0.0;
	fprintf(out,
		"%-6s %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %6.2f%% %9" PRIu64 " %9" PRIu64
		" %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %9" PRIu64 "\n",
		label, s->accesses, s->hits, s->misses, rate, s->upgrades, s->updates, s->evictions,
		s->writebacks, s->invalidations_received, s->c2c_supplied);
}

void stats_print_report(const StatsInput *in, FILE *out, gboolean transitions)
{
	const Machine *m = in->m;
	const RunResult *res = in->res;
	const Config *cfg = in->cfg;
	unsigned n = machine_n_cores(m);
	const char *unit = cfg->mode == MODE_FUNCTIONAL ? "turns" : "cycles";

	fprintf(out, "Labyrinth %s: %s%s%s%s\n", PACKAGE_VERSION, in->workload_path,
		in->workload_name ? " (" : "", in->workload_name ? in->workload_name : "",
		in->workload_name ? ")" : "");
	fprintf(out, "protocol %s, %s mode%s%s, %u core%s, %" PRIu64 " B %u-way caches, %u B lines\n",
		cfg->protocol, config_mode_name(cfg->mode),
		cfg->mode == MODE_FUNCTIONAL ? ", schedule " : "",
		cfg->mode == MODE_FUNCTIONAL ? config_schedule_name(cfg->schedule) : "", n,
		n == 1 ? "" : "s",
		cfg->cache_size, cfg->assoc, cfg->line);
	fprintf(out, "%" PRIu64 " operations in %" PRIu64 " %s\n\n", res->operations, res->cycles,
		unit);

	fprintf(out, "%-6s %10s %10s %10s %10s %10s %10s %10s %10s\n", "core", "operations",
		"loads", "stores", "rmws", unit, "stall", "locks", "lock_wait");
	for (unsigned c = 0; c < n; c++) {
		const CoreRunStats *cr = &res->cores[c];
		const CoreAccessStats *ca = machine_core_access_stats(m, c);
		fprintf(out,
			"%-6u %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %10" PRIu64
			" %10" PRIu64 " %10" PRIu64 " %10" PRIu64 "\n",
			c, cr->operations, ca->loads, ca->stores, ca->rmws, cr->cycles,
			cr->stall_cycles, cr->lock_acquires, cr->lock_wait_cycles);
	}

	fprintf(out, "\n%-6s %10s %10s %10s %7s %9s %9s %10s %10s %10s %9s\n", "cache", "accesses",
		"hits", "misses", "hit", "upgrades", "updates", "evictions", "writebacks",
		"inval_recv", "c2c");
	for (unsigned c = 0; c < n; c++) {
		char label[16];
		g_snprintf(label, sizeof label, "%u", c);
		print_cache_row(out, label, machine_cache_stats(m, c));
	}
	CacheStats t = total_cache_stats(m);
	print_cache_row(out, "total", &t);

	const BusStats *bus = machine_bus_stats(m);
	fprintf(out, "\nbus   ");
	for (int i = 0; i < BUS_N_TXNS; i++)
		fprintf(out, " %s %" PRIu64, proto_txn_name(i), bus->txns[i]);
	const MemStats *mem = machine_mem_stats(m);
	const TimingStats *ts = res->timing;
	if (ts) {
		fprintf(out, "\nbus    busy %" PRIu64 " cycles, utilization %.1f%%", ts->bus_busy_cycles,
			res->cycles ? 100.0 * ts->bus_busy_cycles / res->cycles : 0.0);
		print_histogram(out, "\nbus    queueing delay", ts->bus_queue_delay);
	}
	fprintf(out, "\nmemory reads %" PRIu64 " writes %" PRIu64 "\n", mem->reads, mem->writes);
	if (ts) {
		print_histogram(out, "miss latency, line from memory", ts->miss_latency_mem);
		print_histogram(out, "\nmiss latency, line from a cache", ts->miss_latency_c2c);
		uint64_t acquires = 0;
		for (unsigned c = 0; c < n; c++)
			acquires += res->cores[c].lock_acquires;
		fprintf(out, "\nlocks  %" PRIu64 " acquisitions, %" PRIu64 " hand-offs between cores\n",
			acquires, ts->lock_handoffs);
	}
	if (in->kernel)
		kernel_stats_report(in->kernel, out);
	if (in->hot_lines)
		hotlines_print(in->hot_lines, in->hot_top, out);
	if (transitions)
		print_transitions(m, out);
}
