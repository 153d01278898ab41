/* test_stats.c - the JSON of stats.md and the report: every required key,
 * totals equal to the sum over caches, and the report showing the same
 * numbers as the JSON. */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "autoconfig.h"
#include "suites.h"
#include "input/config.h"
#include "machine/machine.h"
#include "report/stats.h"

typedef struct {
	Config cfg;
	Machine *m;
	RunResult res;
	StatsInput in;
} Fixture;

/* MESI, 2 cores: core 0 stores 0x1000, core 1 loads it (c2c + memory
 * write), core 1 stores it (upgrade, one invalidation). */
static void fixture_init(Fixture *f)
{
	config_init(&f->cfg);
	f->cfg.cores = 2;
	f->cfg.mode = MODE_FUNCTIONAL;
	f->m = machine_new(&f->cfg, proto_lookup("mesi"), 2);
	machine_access(f->m, 0, ACC_STORE, 0x1000, 1, 0);
	machine_access(f->m, 1, ACC_LOAD, 0x1000, 0, 0);
	machine_access(f->m, 1, ACC_STORE, 0x1000, 2, 0);
	run_result_init(&f->res, 2);
	f->res.cycles = 2;
	f->res.operations = 3;
	f->res.cores[0].operations = 1;
	f->res.cores[1].operations = 2;
	f->in = (StatsInput){ .workload_path = "x.wl",
			      .workload_name = "demo",
			      .workload_operations = 3,
			      .cfg = &f->cfg,
			      .m = f->m,
			      .res = &f->res };
}

static void fixture_clear(Fixture *f)
{
	run_result_clear(&f->res);
	machine_free(f->m);
	config_clear(&f->cfg);
}

static gint64 get_int(JsonObject *o, const char *path)
{
	g_auto(GStrv) parts = g_strsplit(path, ".", -1);
	for (int i = 0; parts[i + 1]; i++)
		o = json_object_get_object_member(o, parts[i]);
	char **last = parts;
	while (last[1])
		last++;
	ck_assert_msg(json_object_has_member(o, *last), "missing %s", path);
	return json_object_get_int_member(o, *last);
}

START_TEST(test_json_keys_and_values)
{
	Fixture f;
	fixture_init(&f);
	g_autoptr(JsonNode) root = stats_to_json(&f.in);
	JsonObject *o = json_node_get_object(root);
	ck_assert_int_eq(get_int(o, "schema"), 1);
	ck_assert_str_eq(json_object_get_string_member(o, "labyrinth_version"), PACKAGE_VERSION);
	ck_assert_int_eq(get_int(o, "workload.cores"), 2);
	ck_assert_int_eq(get_int(o, "workload.operations"), 3);
	ck_assert_str_eq(json_object_get_string_member(json_object_get_object_member(o, "workload"), "name"), "demo");
	JsonObject *cfg = json_object_get_object_member(o, "config");
	ck_assert_str_eq(json_object_get_string_member(cfg, "protocol"), "mesi");
	ck_assert_str_eq(json_object_get_string_member(cfg, "mode"), "functional");
	ck_assert_int_eq(get_int(cfg, "cores"), 2);
	ck_assert_int_eq(get_int(cfg, "cache.size"), 32768);
	ck_assert_int_eq(get_int(cfg, "cache.assoc"), 8);
	ck_assert_int_eq(get_int(cfg, "cache.line"), 64);
	ck_assert_int_eq(get_int(o, "cycles"), 2);

	JsonArray *caches = json_object_get_array_member(o, "caches");
	ck_assert_uint_eq(json_array_get_length(caches), 2);
	JsonObject *c0 = json_array_get_object_element(caches, 0);
	JsonObject *c1 = json_array_get_object_element(caches, 1);
	ck_assert_int_eq(get_int(c0, "misses"), 1);
	ck_assert_int_eq(get_int(c0, "c2c_supplied"), 1);
	ck_assert_int_eq(get_int(c0, "invalidations_received"), 1);
	ck_assert_int_eq(get_int(c1, "hits"), 1);
	ck_assert_int_eq(get_int(c1, "upgrades"), 1);
	static const char *const fields[] = { "accesses", "hits", "misses", "upgrades", "updates",
					      "evictions", "writebacks", "invalidations_received",
					      "c2c_supplied" };
	for (gsize i = 0; i < G_N_ELEMENTS(fields); i++) {
		char path[64];
		g_snprintf(path, sizeof path, "totals.%s", fields[i]);
		ck_assert_int_eq(get_int(o, path), get_int(c0, fields[i]) + get_int(c1, fields[i]));
	}
	JsonArray *cores = json_object_get_array_member(o, "cores");
	JsonObject *k1 = json_array_get_object_element(cores, 1);
	ck_assert_int_eq(get_int(k1, "loads"), 1);
	ck_assert_int_eq(get_int(k1, "stores"), 1);
	ck_assert_int_eq(get_int(k1, "operations"), 2);
	ck_assert_int_eq(get_int(o, "bus.BusRdX"), 1);
	ck_assert_int_eq(get_int(o, "bus.BusRd"), 1);
	ck_assert_int_eq(get_int(o, "bus.BusUpgr"), 1);
	ck_assert_int_eq(get_int(o, "memory.reads"), 1);
	ck_assert_int_eq(get_int(o, "memory.writes"), 1);
	fixture_clear(&f);
}
END_TEST

START_TEST(test_report_matches_json)
{
	Fixture f;
	fixture_init(&f);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	stats_print_report(&f.in, out, TRUE);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(buf, "protocol mesi"));
	ck_assert_ptr_nonnull(strstr(buf, "BusRd 1 BusRdX 1 BusUpgr 1"));
	ck_assert_ptr_nonnull(strstr(buf, "memory reads 1 writes 1"));
	/* totals row: 3 accesses, 1 hit, 2 misses */
	ck_assert_ptr_nonnull(strstr(buf, "total           3          1          2"));
	ck_assert_ptr_nonnull(strstr(buf, "Transitions taken (mesi)"));
	free(buf);
	fixture_clear(&f);
}
END_TEST

START_TEST(test_atomic_write)
{
	g_autofree char *dir = g_dir_make_tmp("labyrinth-stats-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "s.json", NULL);
	GError *err = NULL;
	ck_assert(stats_write_file_atomic(path, "{}\n", 3, &err));
	g_autofree char *text = NULL;
	ck_assert(g_file_get_contents(path, &text, NULL, NULL));
	ck_assert_str_eq(text, "{}\n");
	g_autofree char *bad = g_build_filename(dir, "no/such/dir/s.json", NULL);
	ck_assert(!stats_write_file_atomic(bad, "{}\n", 3, &err));
	ck_assert_ptr_nonnull(err);
	g_clear_error(&err);
	/* A symbolic link stays a link; the file it names gets the data. */
	g_autofree char *link = g_build_filename(dir, "link.json", NULL);
	ck_assert_int_eq(symlink(path, link), 0);
	ck_assert(stats_write_file_atomic(link, "[]\n", 3, &err));
	ck_assert(g_file_test(link, G_FILE_TEST_IS_SYMLINK));
	g_free(text);
	text = NULL;
	ck_assert(g_file_get_contents(path, &text, NULL, NULL));
	ck_assert_str_eq(text, "[]\n");
	/* A device is written, never replaced by a regular file. */
	ck_assert(stats_write_file_atomic("/dev/null", "{}\n", 3, &err));
	GStatBuf st;
	ck_assert_int_eq(g_stat("/dev/null", &st), 0);
	ck_assert(S_ISCHR(st.st_mode));
	g_unlink(link);
	g_unlink(path);
	g_rmdir(dir);
}
END_TEST

Suite *suite_stats(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("json");
	tcase_add_test(tc, test_json_keys_and_values);
	tcase_add_test(tc, test_report_matches_json);
	tcase_add_test(tc, test_atomic_write);
	suite_add_tcase(s, tc);
	return s;
}
