/* test_sweep.c - the pure parts of `labyrinth sweep` (sweep.h): the order
 * of the grid's points, their ids and command lines, the grid file's round
 * trip, and sweep.csv's header and rows read from a run's JSON. */
#include <check.h>
#include <string.h>

#include "suites.h"
#include "tools/sweep.h"

/* cores 1,2,4 x protocol msi,mesi x allocator.policy global,pcp */
static SweepGrid *grid_3x2x2(void)
{
	SweepGrid *g = sweep_grid_new();
	g->label = g_strdup("lock-storm");
	g->gen_pattern = g_strdup("lock-storm");
	g->gen_ops = g_strdup("200");
	g->gen_seed = g_strdup("7");
	ck_assert(sweep_grid_set_axis(g, "cores", "1,2,4", NULL));
	ck_assert(sweep_grid_set_axis(g, "protocol", "msi,mesi", NULL));
	ck_assert(sweep_grid_set_axis(g, "allocator.policy", "global,pcp", NULL));
	return g;
}

/* Cores change fastest, then protocol, then the --set axes. */
START_TEST(test_point_order_and_ids)
{
	static const struct {
		gsize index;
		const char *id;
	} rows[] = {
		{ 0, "cores=1,protocol=msi,allocator.policy=global" },
		{ 1, "cores=2,protocol=msi,allocator.policy=global" },
		{ 2, "cores=4,protocol=msi,allocator.policy=global" },
		{ 3, "cores=1,protocol=mesi,allocator.policy=global" },
		{ 6, "cores=1,protocol=msi,allocator.policy=pcp" },
		{ 11, "cores=4,protocol=mesi,allocator.policy=pcp" },
	};
	g_autoptr(SweepGrid) g = grid_3x2x2();
	ck_assert_uint_eq(sweep_grid_n_points(g), 12);
	ck_assert(sweep_grid_check_ids(g, NULL));
	for (gsize k = 0; k < G_N_ELEMENTS(rows); k++) {
		g_autofree char *id = sweep_point_id(g, rows[k].index);
		ck_assert_str_eq(id, rows[k].id);
	}
	const char *values[3];
	sweep_grid_point(g, 5, values);
	ck_assert_str_eq(values[0], "4");
	ck_assert_str_eq(values[1], "mesi");
	ck_assert_str_eq(values[2], "global");
}
END_TEST

/* A list of values: accepted (and how it reads back) or refused. */
START_TEST(test_axis_lists)
{
	static const struct {
		const char *list;
		const char *values; /* joined by '|', or NULL for an error */
	} rows[] = {
		{ "1,2,4", "1|2|4" },
		{ " global , pcp ", "global|pcp" },
		{ "mesi", "mesi" },
		{ "1,,2", NULL },
		{ "", NULL },
		{ "pcp,global,pcp", NULL },
	};
	for (gsize k = 0; k < G_N_ELEMENTS(rows); k++) {
		g_autoptr(SweepGrid) g = sweep_grid_new();
		g_autoptr(GError) err = NULL;
		gboolean ok = sweep_grid_set_axis(g, "x.y", rows[k].list, &err);
		if (!rows[k].values) {
			ck_assert_msg(!ok, "'%s' accepted", rows[k].list);
			ck_assert(g_error_matches(err, SWEEP_ERROR, SWEEP_ERROR_AXIS));
			continue;
		}
		ck_assert_msg(ok, "'%s': %s", rows[k].list, err ? err->message : "");
		const SweepAxis *a = sweep_grid_axis(g, "x.y");
		g_autoptr(GString) got = g_string_new(NULL);
		for (guint v = 0; v < a->values->len; v++)
			g_string_append_printf(got, "%s%s", v ? "|" : "",
					       (char *)g_ptr_array_index(a->values, v));
		ck_assert_str_eq(got->str, rows[k].values);
	}
}
END_TEST

/* A later list for the same axis replaces the earlier one in place. */
START_TEST(test_axis_replaced)
{
	g_autoptr(SweepGrid) g = grid_3x2x2();
	ck_assert(sweep_grid_set_axis(g, "protocol", "dragon", NULL));
	ck_assert_uint_eq(g->axes->len, 3);
	ck_assert_uint_eq(sweep_grid_n_points(g), 6);
	g_autofree char *id = sweep_point_id(g, 4);
	ck_assert_str_eq(id, "cores=2,protocol=dragon,allocator.policy=pcp");
}
END_TEST

/* Ids are file names; values that only differ in what is replaced clash. */
START_TEST(test_ids_sanitized)
{
	g_autoptr(SweepGrid) g = sweep_grid_new();
	ck_assert(sweep_grid_set_axis(g, "cores", "2", NULL));
	ck_assert(sweep_grid_set_axis(g, "protocol", "mesi", NULL));
	ck_assert(sweep_grid_set_axis(g, "a.b", "x/y z", NULL));
	g_autofree char *id = sweep_point_id(g, 0);
	ck_assert_str_eq(id, "cores=2,protocol=mesi,a.b=x_y_z");
	ck_assert(sweep_grid_check_ids(g, NULL));
	ck_assert(sweep_grid_set_axis(g, "a.b", "x/y,x_y", NULL));
	g_autoptr(GError) err = NULL;
	ck_assert(!sweep_grid_check_ids(g, &err));
	ck_assert(strstr(err->message, "cores=2,protocol=mesi,a.b=x_y"));
}
END_TEST

static char *joined(char **argv)
{
	return g_strjoinv(" ", argv);
}

START_TEST(test_command_lines)
{
	g_autoptr(SweepGrid) g = grid_3x2x2();
	g_auto(GStrv) run = sweep_point_run_args(g, 7, "/d");
	g_autofree char *run_line = joined(run);
	ck_assert_str_eq(run_line,
			 "run /d/workloads/lock-storm-cores=2.wl --cores 2 --protocol msi --set "
			 "allocator.policy=pcp --stats-json "
			 "/d/points/cores=2,protocol=msi,allocator.policy=pcp.json");
	g_auto(GStrv) gen = sweep_gen_args(g, "4", "/d");
	g_autofree char *gen_line = joined(gen);
	ck_assert_str_eq(gen_line,
			 "gen lock-storm --cores 4 --ops 200 --seed 7 -o "
			 "/d/workloads/lock-storm-cores=4.wl");

	/* A workload file, a configuration file and a mode axis. */
	g_autoptr(SweepGrid) f = sweep_grid_new();
	f->label = g_strdup("demo");
	f->workload = g_strdup("/w/demo.wl");
	f->config = g_strdup("/c/x.ini");
	ck_assert(sweep_grid_set_axis(f, "cores", "4", NULL));
	ck_assert(sweep_grid_set_axis(f, "protocol", "moesi", NULL));
	ck_assert(sweep_grid_set_axis(f, "mode", "functional", NULL));
	g_auto(GStrv) frun = sweep_point_run_args(f, 0, "/d");
	g_autofree char *frun_line = joined(frun);
	ck_assert_str_eq(frun_line, "run /w/demo.wl --config /c/x.ini --cores 4 --protocol moesi "
				    "--mode functional --stats-json "
				    "/d/points/cores=4,protocol=moesi,mode=functional.json");
}
END_TEST

START_TEST(test_grid_file_round_trip)
{
	g_autoptr(SweepGrid) g = grid_3x2x2();
	g_autofree char *data = sweep_grid_to_data(g);
	g_autoptr(GError) err = NULL;
	g_autoptr(SweepGrid) back = sweep_grid_from_data(data, "sweep.grid", &err);
	ck_assert_msg(back != NULL, "%s", err ? err->message : "");
	ck_assert(sweep_grid_same_source(g, back));
	ck_assert_str_eq(back->label, "lock-storm");
	ck_assert_uint_eq(sweep_grid_n_points(back), 12);
	for (gsize i = 0; i < 12; i++) {
		g_autofree char *a = sweep_point_id(g, i);
		g_autofree char *b = sweep_point_id(back, i);
		ck_assert_str_eq(a, b);
	}
	g_free(back->gen_seed);
	back->gen_seed = g_strdup("8");
	ck_assert(!sweep_grid_same_source(g, back));

	static const char *const bad[] = {
		"[sweep]\nformat=2\nlabel=x\ngen=p\n[axes]\ncores=1\nprotocol=mesi\n",
		"[sweep]\nformat=1\nlabel=x\ngen=p\n[axes]\nprotocol=mesi\ncores=1\n",
		"[sweep]\nformat=1\nlabel=x\n[axes]\ncores=1\nprotocol=mesi\n",
		"[sweep]\nformat=1\nlabel=x\ngen=p\n[axes]\ncores=1;1\nprotocol=mesi\n",
		"not a key file",
	};
	for (gsize k = 0; k < G_N_ELEMENTS(bad); k++) {
		g_autoptr(GError) e = NULL;
		ck_assert_msg(!sweep_grid_from_data(bad[k], "g", &e), "accepted: %s", bad[k]);
		ck_assert(g_error_matches(e, SWEEP_ERROR, SWEEP_ERROR_GRID));
	}
}
END_TEST

/* The field of row under header column name. */
static char *field(const char *header, const char *row, const char *name)
{
	g_auto(GStrv) names = g_strsplit(header, ",", -1);
	g_auto(GStrv) values = g_strsplit(row, ",", -1);
	ck_assert_uint_eq(g_strv_length(names), g_strv_length(values));
	for (guint k = 0; names[k]; k++)
		if (strcmp(g_strstrip(names[k]), name) == 0)
			return g_strdup(g_strstrip(values[k]));
	ck_abort_msg("no column %s", name);
	return NULL;
}

/* A run's JSON, cut down: no allocator latency, no lock object. */
static const char stats_json[] =
	"{\"schema\": 1, \"workload\": {\"name\": \"w\", \"operations\": 40},"
	" \"cycles\": 1234,"
	" \"cores\": [{\"id\": 0, \"lock_acquires\": 3, \"lock_wait_cycles\": 100},"
	"             {\"id\": 1, \"lock_acquires\": 2, \"lock_wait_cycles\": 50}],"
	" \"totals\": {\"accesses\": 30, \"hits\": 20, \"misses\": 10,"
	"              \"invalidations_received\": 6, \"c2c_supplied\": 4},"
	" \"bus\": {\"BusRd\": 7, \"utilization\": 0.25, \"busy_cycles\": 308},"
	" \"memory\": {\"reads\": 6},"
	" \"allocator\": {\"allocs\": 5, \"failures\": 0}}";

START_TEST(test_csv_rows)
{
	static const struct {
		const char *column, *value;
	} rows[] = {
		{ "workload", "lock-storm" },
		{ "cores", "2" },
		{ "protocol", "mesi" },
		{ "allocator.policy", "global" },
		{ "status", "ok" },
		{ "operations", "40" },
		{ "cycles", "1234" },
		{ "misses", "10" },
		{ "invalidations", "6" },
		{ "c2c_transfers", "4" },
		{ "memory_reads", "6" },
		{ "bus_BusRd", "7" },
		{ "bus_utilization", "0.25" },
		{ "lock_acquires", "5" },
		{ "lock_wait_cycles", "150" },
		{ "allocs", "5" },
		{ "alloc_failures", "0" },
		{ "alloc_latency_p99", "" },
		{ "lock_handoffs", "" },
	};
	g_autoptr(SweepGrid) g = grid_3x2x2();
	g_autofree char *header = sweep_csv_header(g);
	ck_assert(g_str_has_prefix(header, "workload,cores,protocol,allocator.policy,status,"));
	ck_assert(g_str_has_suffix(header, "\n"));
	g_autoptr(JsonParser) parser = json_parser_new();
	ck_assert(json_parser_load_from_data(parser, stats_json, -1, NULL));
	gsize n_cols = sweep_n_stat_columns();
	g_autofree gboolean *absent = g_new0(gboolean, n_cols);
	g_autofree char *row = sweep_csv_row(g, 4, "ok", json_parser_get_root(parser), absent);
	for (gsize k = 0; k < G_N_ELEMENTS(rows); k++) {
		g_autofree char *v = field(header, row, rows[k].column);
		ck_assert_msg(strcmp(v, rows[k].value) == 0, "%s: '%s', expected '%s'",
			      rows[k].column, v, rows[k].value);
	}
	for (gsize k = 0; k < n_cols; k++) {
		g_autofree char *v = field(header, row, sweep_stat_column(k));
		ck_assert_msg(absent[k] == (*v == '\0'), "%s: absent %d, value '%s'",
			      sweep_stat_column(k), absent[k], v);
	}

	/* A failed point keeps its place and parameters, statistics empty. */
	g_autofree char *failed = sweep_csv_row(g, 4, "failed", NULL, NULL);
	g_autofree char *status = field(header, failed, "status");
	g_autofree char *cycles = field(header, failed, "cycles");
	ck_assert_str_eq(status, "failed");
	ck_assert_str_eq(cycles, "");
}
END_TEST

/* Fields with commas or quotes are quoted as RFC 4180 says. */
START_TEST(test_csv_quoting)
{
	g_autoptr(SweepGrid) g = sweep_grid_new();
	g->label = g_strdup("say \"hi\", twice");
	g->workload = g_strdup("/w.wl");
	ck_assert(sweep_grid_set_axis(g, "cores", "1", NULL));
	ck_assert(sweep_grid_set_axis(g, "protocol", "mesi", NULL));
	g_autofree char *row = sweep_csv_row(g, 0, "missing", NULL, NULL);
	ck_assert(g_str_has_prefix(row, "\"say \"\"hi\"\", twice\",1,mesi,missing,"));
}
END_TEST

Suite *suite_sweep(void)
{
	Suite *s = suite_create("sweep");
	TCase *tc = tcase_create("grid");
	tcase_add_test(tc, test_point_order_and_ids);
	tcase_add_test(tc, test_axis_lists);
	tcase_add_test(tc, test_axis_replaced);
	tcase_add_test(tc, test_ids_sanitized);
	tcase_add_test(tc, test_command_lines);
	tcase_add_test(tc, test_grid_file_round_trip);
	suite_add_tcase(s, tc);
	TCase *csv = tcase_create("csv");
	tcase_add_test(csv, test_csv_rows);
	tcase_add_test(csv, test_csv_quoting);
	suite_add_tcase(s, csv);
	return s;
}
