/* test_config.c - the configuration layers (sim/input/config.c): defaults, key
 * files, --set overrides, validation, and --dump-config's round trip.
 *
 * Expected values are written out by hand rather than read back through
 * config.c, so a wrong table row shows up as a failure here.  Errors are
 * rows of input, the stage that must reject it, the error code, and text
 * the message must contain (always the key it is about).
 */
#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "suites.h"
#include "testutil.h"
#include "input/config.h"
#include "kernel/layout.h"

/* Every field, one by one: a new field must be added here too. */
static void assert_config_eq(const Config *a, const Config *b)
{
	ck_assert_uint_eq(a->cores, b->cores);
	ck_assert_str_eq(a->protocol, b->protocol);
	ck_assert_int_eq(a->mode, b->mode);
	ck_assert_int_eq(a->schedule, b->schedule);
	ck_assert_uint_eq(a->seed, b->seed);
	ck_assert_uint_eq(a->cache_size, b->cache_size);
	ck_assert_uint_eq(a->assoc, b->assoc);
	ck_assert_uint_eq(a->line, b->line);
	ck_assert_uint_eq(a->hit_latency, b->hit_latency);
	ck_assert_int_eq(a->arbitration, b->arbitration);
	ck_assert_uint_eq(a->snoop_latency, b->snoop_latency);
	ck_assert_uint_eq(a->c2c_latency, b->c2c_latency);
	ck_assert_uint_eq(a->bus_width, b->bus_width);
	ck_assert_uint_eq(a->mem_size, b->mem_size);
	ck_assert_uint_eq(a->mem_latency, b->mem_latency);
	ck_assert_uint_eq(a->mem_bandwidth, b->mem_bandwidth);
	ck_assert_uint_eq(a->zone_pages, b->zone_pages);
	ck_assert_uint_eq(a->min_free, b->min_free);
	ck_assert_uint_eq(a->wmark_low, b->wmark_low);
	ck_assert_uint_eq(a->wmark_high, b->wmark_high);
	ck_assert_uint_eq(a->batch, b->batch);
	ck_assert_uint_eq(a->pcp_high, b->pcp_high);
	ck_assert_int_eq(a->alloc_policy, b->alloc_policy);
	ck_assert_int_eq(a->alloc_lock, b->alloc_lock);
	ck_assert_int_eq(a->alloc_claim, b->alloc_claim);
}

static void set_ok(Config *cfg, const char *assignment)
{
	g_autoptr(GError) err = NULL;
	ck_assert_msg(config_set(cfg, assignment, &err), "config_set(\"%s\"): %s", assignment,
		      err ? err->message : "?");
	ck_assert_ptr_null(err);
}

static void load_ok(Config *cfg, const char *text)
{
	g_autofree char *path = tu_write_temp(text, ".ini");
	g_autoptr(GError) err = NULL;
	ck_assert_msg(config_load_file(cfg, path, &err), "config_load_file: %s",
		      err ? err->message : "?");
	ck_assert_ptr_null(err);
}

static void assert_contains(const char *haystack, const char *needle)
{
	ck_assert_msg(strstr(haystack, needle) != NULL, "'%s' does not contain '%s'", haystack,
		      needle);
}

START_TEST(test_defaults)
{
	g_auto(Config) cfg = { 0 };
	config_init(&cfg);
	ck_assert_uint_eq(cfg.cores, 0);
	ck_assert_str_eq(cfg.protocol, "mesi");
	ck_assert_int_eq(cfg.mode, MODE_TIMING);
	ck_assert_int_eq(cfg.schedule, SCHED_ROUNDS);
	ck_assert_uint_eq(cfg.seed, 1);
	ck_assert_uint_eq(cfg.cache_size, 32768);
	ck_assert_uint_eq(cfg.assoc, 8);
	ck_assert_uint_eq(cfg.line, 64);
	ck_assert_uint_eq(cfg.hit_latency, 1);
	ck_assert_int_eq(cfg.arbitration, ARB_FIFO);
	ck_assert_uint_eq(cfg.snoop_latency, 2);
	ck_assert_uint_eq(cfg.c2c_latency, 8);
	ck_assert_uint_eq(cfg.bus_width, 32);
	ck_assert_uint_eq(cfg.mem_size, UINT64_C(281474976710656));
	ck_assert_uint_eq(cfg.mem_latency, 100);
	ck_assert_uint_eq(cfg.mem_bandwidth, 16);
	ck_assert_uint_eq(cfg.zone_pages, 4096);
	ck_assert_uint_eq(cfg.min_free, 0);
	ck_assert_uint_eq(cfg.wmark_low, 0);
	ck_assert_uint_eq(cfg.wmark_high, 0);
	ck_assert_uint_eq(cfg.batch, 0);
	ck_assert_uint_eq(cfg.pcp_high, 0);
	ck_assert_int_eq(cfg.alloc_policy, ALLOC_POLICY_PCP);
	ck_assert_int_eq(cfg.alloc_lock, ALLOC_LOCK_TICKET);
	ck_assert_int_eq(cfg.alloc_claim, ALLOC_CLAIM_ZERO);

	g_autoptr(GError) err = NULL;
	ck_assert(config_validate(&cfg, &err));
	ck_assert_str_eq(config_mode_name(cfg.mode), "timing");
	ck_assert_str_eq(config_schedule_name(cfg.schedule), "rounds");
	ck_assert_str_eq(config_mode_name(MODE_TIMING), "timing");
	ck_assert_str_eq(config_schedule_name(SCHED_FILE), "file");
}
END_TEST

/* Defaults, then a file, then --set in order; each layer keeps what it
 * does not mention. */
START_TEST(test_layers)
{
	g_auto(Config) cfg = { 0 };
	config_init(&cfg);
	load_ok(&cfg, "# a user's file\n"
		      "[cache]\nsize = 64K\nassoc=4\n\n"
		      "[system]\nprotocol=moesi\nseed=7\n");
	ck_assert_uint_eq(cfg.cache_size, 65536);
	ck_assert_uint_eq(cfg.assoc, 4);
	ck_assert_str_eq(cfg.protocol, "moesi");
	ck_assert_uint_eq(cfg.seed, 7);
	ck_assert_uint_eq(cfg.line, 64); /* default, untouched */

	/* A second file goes over the first, changing only what it lists. */
	load_ok(&cfg, "[system]\nseed=9\n");
	ck_assert_uint_eq(cfg.seed, 9);
	ck_assert_str_eq(cfg.protocol, "moesi");

	set_ok(&cfg, "cache.size=131072");
	set_ok(&cfg, "system.protocol=msi");
	set_ok(&cfg, "cache.size=16K"); /* the later --set wins */
	ck_assert_uint_eq(cfg.cache_size, 16384);
	ck_assert_str_eq(cfg.protocol, "msi");
	ck_assert_uint_eq(cfg.assoc, 4);  /* from the file */
	ck_assert_uint_eq(cfg.seed, 9);   /* from the second file */
	ck_assert_uint_eq(cfg.line, 64);  /* default */

	/* Blanks around the parts of an assignment are ignored. */
	set_ok(&cfg, " cache . assoc = 2 ");
	ck_assert_uint_eq(cfg.assoc, 2);
	/* config_set_key is the same thing with the parts apart. */
	g_autoptr(GError) err = NULL;
	ck_assert(config_set_key(&cfg, "bus", "width", "64", &err));
	ck_assert_uint_eq(cfg.bus_width, 64);
}
END_TEST

/* One row per way of writing a value, every key at least once, each a
 * value other than the default.  width is the field's size; 0 marks the
 * protocol string. */
typedef struct {
	const char *group, *key, *text;
	size_t offset, width;
	uint64_t want;
	const char *want_str;
} SetRow;

#define AT(f) offsetof(Config, f), sizeof(((Config *)0)->f)

static const SetRow set_rows[] = {
	{ "system", "cores", "4", AT(cores), 4, NULL },
	{ "system", "cores", "1024", AT(cores), 1024, NULL },
	{ "system", "protocol", "dragon", offsetof(Config, protocol), 0, 0, "dragon" },
	{ "system", "protocol", "mesif", offsetof(Config, protocol), 0, 0, "mesif" },
	{ "system", "mode", "timing", AT(mode), MODE_TIMING, NULL },
	{ "system", "schedule", "file", AT(schedule), SCHED_FILE, NULL },
	{ "system", "seed", "0xdeadbeef", AT(seed), 0xdeadbeef, NULL },
	{ "system", "seed", "0", AT(seed), 0, NULL },
	{ "system", "seed", "9223372036854775807", AT(seed), UINT64_C(9223372036854775807), NULL },
	{ "cache", "size", "65536", AT(cache_size), 65536, NULL },
	{ "cache", "size", "0x10000", AT(cache_size), 65536, NULL },
	{ "cache", "size", "64K", AT(cache_size), 65536, NULL },
	{ "cache", "size", "2 KiB", AT(cache_size), 2048, NULL },
	{ "cache", "size", "1M", AT(cache_size), 1048576, NULL },
	{ "cache", "size", "1MiB", AT(cache_size), 1048576, NULL },
	{ "cache", "size", "1G", AT(cache_size), 1073741824, NULL },
	{ "cache", "assoc", "4", AT(assoc), 4, NULL },
	{ "cache", "assoc", "4096", AT(assoc), 4096, NULL },
	{ "cache", "line", "128", AT(line), 128, NULL },
	{ "cache", "line", "4K", AT(line), 4096, NULL },
	{ "cache", "hit_latency", "0", AT(hit_latency), 0, NULL },
	{ "bus", "arbitration", "rr", AT(arbitration), ARB_ROUND_ROBIN, NULL },
	{ "bus", "snoop_latency", "3", AT(snoop_latency), 3, NULL },
	{ "bus", "c2c_latency", "0x10", AT(c2c_latency), 16, NULL },
	{ "bus", "width", "64", AT(bus_width), 64, NULL },
	{ "memory", "size", "4G", AT(mem_size), UINT64_C(4294967296), NULL },
	{ "memory", "size", "4GiB", AT(mem_size), UINT64_C(4294967296), NULL },
	{ "memory", "size", "1T", AT(mem_size), UINT64_C(1099511627776), NULL },
	{ "memory", "size", "256TiB", AT(mem_size), UINT64_C(281474976710656), NULL },
	{ "memory", "latency", "250", AT(mem_latency), 250, NULL },
	{ "memory", "bandwidth", "8", AT(mem_bandwidth), 8, NULL },
	{ "allocator", "zone_pages", "1024", AT(zone_pages), 1024, NULL },
	{ "allocator", "min_free", "32", AT(min_free), 32, NULL },
	{ "allocator", "low", "40", AT(wmark_low), 40, NULL },
	{ "allocator", "high", "48", AT(wmark_high), 48, NULL },
	{ "allocator", "batch", "31", AT(batch), 31, NULL },
	{ "allocator", "pcp_high", "186", AT(pcp_high), 186, NULL },
	{ "allocator", "policy", "global", AT(alloc_policy), ALLOC_POLICY_GLOBAL, NULL },
	{ "allocator", "lock", "ttas", AT(alloc_lock), ALLOC_LOCK_TTAS, NULL },
	{ "allocator", "claim", "rfo", AT(alloc_claim), ALLOC_CLAIM_RFO, NULL },
};

/* The defaults with the row's field changed by hand. */
static void expected_for(Config *want, const SetRow *r)
{
	config_init(want);
	char *p = (char *)want + r->offset;
	if (r->width == 0) {
		g_free(want->protocol);
		want->protocol = g_strdup(r->want_str);
	} else if (r->width == sizeof(uint32_t)) {
		uint32_t v = (uint32_t)r->want;
		memcpy(p, &v, sizeof(v));
	} else {
		ck_assert_uint_eq(r->width, sizeof(uint64_t));
		memcpy(p, &r->want, sizeof(r->want));
	}
}

START_TEST(test_set_each_key)
{
	const SetRow *r = &set_rows[_i];
	g_auto(Config) want = { 0 };
	expected_for(&want, r);

	g_auto(Config) by_set = { 0 };
	config_init(&by_set);
	g_autofree char *assignment = g_strdup_printf("%s.%s=%s", r->group, r->key, r->text);
	set_ok(&by_set, assignment);
	assert_config_eq(&by_set, &want);

	g_auto(Config) by_file = { 0 };
	config_init(&by_file);
	g_autofree char *text = g_strdup_printf("[%s]\n%s=%s\n", r->group, r->key, r->text);
	load_ok(&by_file, text);
	assert_config_eq(&by_file, &want);
}
END_TEST

/* The rows above reach every key of the table, and the table is the one
 * the header documents. */
START_TEST(test_table)
{
	static const char *const strings[] = {
		"system.protocol", "system.mode", "system.schedule", "bus.arbitration",
		"allocator.policy", "allocator.lock", "allocator.claim",
	};
	ck_assert_int_eq(config_n_keys(), 25);
	ck_assert_str_eq(config_key(0)->group, "system");
	ck_assert_str_eq(config_key(0)->key, "cores");
	ck_assert_str_eq(config_key(24)->group, "allocator");
	ck_assert_str_eq(config_key(24)->key, "claim");

	g_auto(Config) cfg = { 0 };
	config_init(&cfg);
	for (int i = 0; i < config_n_keys(); i++) {
		const ConfigKeyInfo *k = config_key(i);
		g_autofree char *name = g_strdup_printf("%s.%s", k->group, k->key);
		ck_assert_msg(k->doc && *k->doc, "%s has no doc", name);

		gboolean covered = FALSE;
		for (size_t j = 0; j < G_N_ELEMENTS(set_rows); j++)
			covered |= strcmp(set_rows[j].group, k->group) == 0 &&
				   strcmp(set_rows[j].key, k->key) == 0;
		ck_assert_msg(covered, "no set_rows entry for %s", name);

		gboolean is_string = FALSE;
		for (size_t j = 0; j < G_N_ELEMENTS(strings); j++)
			is_string |= strcmp(strings[j], name) == 0;
		ck_assert_msg(k->is_number == !is_string, "%s: is_number %d", name, k->is_number);

		for (int j = 0; j < i; j++)
			ck_assert_msg(strcmp(config_key(j)->group, k->group) != 0 ||
					      strcmp(config_key(j)->key, k->key) != 0,
				      "%s listed twice", name);

		g_autofree char *value = config_value_string(&cfg, k->group, k->key);
		ck_assert_ptr_nonnull(value);
	}
}
END_TEST

START_TEST(test_value_string)
{
	g_auto(Config) cfg = { 0 };
	config_init(&cfg);
	set_ok(&cfg, "memory.size=1T");
	set_ok(&cfg, "bus.arbitration=rr");
	static const struct {
		const char *group, *key, *want;
	} rows[] = {
		{ "cache", "size", "32768" },    { "memory", "size", "1099511627776" },
		{ "system", "protocol", "mesi" }, { "system", "mode", "timing" },
		{ "bus", "arbitration", "rr" },   { "allocator", "policy", "pcp" },
		{ "system", "seed", "1" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *v = config_value_string(&cfg, rows[i].group, rows[i].key);
		ck_assert_str_eq(v, rows[i].want);
	}
	ck_assert_ptr_null(config_value_string(&cfg, "cache", "sizee"));
	ck_assert_ptr_null(config_value_string(&cfg, "cachee", "size"));
}
END_TEST

START_TEST(test_copy)
{
	g_auto(Config) a = { 0 };
	config_init(&a);
	set_ok(&a, "system.protocol=moesi");
	set_ok(&a, "cache.assoc=2");
	g_auto(Config) b = { 0 };
	config_copy(&b, &a);
	assert_config_eq(&a, &b);
	ck_assert_ptr_ne(a.protocol, b.protocol);
	set_ok(&b, "system.protocol=msi");
	ck_assert_str_eq(a.protocol, "moesi");
	config_clear(&b);
	ck_assert_ptr_null(b.protocol);
	config_clear(&b); /* clearing twice is harmless */
}
END_TEST

/* A configuration that differs from the defaults in every key. */
static void set_all_non_default(Config *cfg)
{
	static const char *const sets[] = {
		"system.cores=16", "system.protocol=dragon", "system.mode=timing",
		"system.schedule=file", "system.seed=0x7fffffffffffffff", "cache.size=1M",
		"cache.assoc=16", "cache.line=128", "cache.hit_latency=3",
		"bus.arbitration=rr", "bus.snoop_latency=5", "bus.c2c_latency=12", "bus.width=16",
		"memory.size=64G", "memory.latency=180", "memory.bandwidth=32",
		"allocator.zone_pages=65536", "allocator.min_free=128", "allocator.low=160",
		"allocator.high=192", "allocator.batch=63", "allocator.pcp_high=378",
		"allocator.policy=global", "allocator.lock=ttas", "allocator.claim=rfo",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(sets); i++)
		set_ok(cfg, sets[i]);
}

START_TEST(test_dump_round_trip)
{
	g_auto(Config) a = { 0 };
	config_init(&a);
	set_all_non_default(&a);
	g_autoptr(GError) err = NULL;
	ck_assert_msg(config_validate(&a, &err), "%s", err ? err->message : "");

	g_autofree char *text = config_dump(&a);
	g_auto(Config) b = { 0 };
	config_init(&b);
	load_ok(&b, text);
	assert_config_eq(&a, &b);
	ck_assert_uint_eq(b.seed, UINT64_C(9223372036854775807));
	ck_assert_uint_eq(b.mem_size, UINT64_C(68719476736));

	g_autofree char *again = config_dump(&b);
	ck_assert_str_eq(text, again);

	/* Every key line is preceded by its comment: doc, unit, default. */
	assert_contains(text, "[cache]\n# ");
	assert_contains(text, "(bytes, default 32768)\nsize=1048576\n");
	assert_contains(text,
			"(one of msi|mesi|moesi|mesif|dragon, default mesi)\nprotocol=dragon\n");
	assert_contains(text, "(one of fifo|rr, default fifo)\narbitration=rr\n");
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	int n_keys = 0;
	for (int i = 0; lines[i]; i++) {
		if (!*lines[i] || lines[i][0] == '#' || lines[i][0] == '[')
			continue;
		ck_assert_msg(strchr(lines[i], '='), "line '%s' is not a key", lines[i]);
		ck_assert_msg(i > 0 && g_str_has_prefix(lines[i - 1], "# ") &&
				      strstr(lines[i - 1], ", default "),
			      "no comment before '%s'", lines[i]);
		n_keys++;
	}
	ck_assert_int_eq(n_keys, 25);
}
END_TEST

/* configs/default.ini is what config_dump() prints for the defaults, under
 * a header of comments, and loads back to the defaults. */
START_TEST(test_default_ini)
{
	const char *top = g_getenv("top_srcdir");
	g_autofree char *path = g_build_filename(top ? top : ".", "configs", "default.ini", NULL);
	g_autofree char *contents = NULL;
	g_autoptr(GError) err = NULL;
	ck_assert_msg(g_file_get_contents(path, &contents, NULL, &err), "%s",
		      err ? err->message : "");

	g_auto(Config) defaults = { 0 };
	config_init(&defaults);
	g_autofree char *dump = config_dump(&defaults);
	ck_assert_msg(g_str_has_suffix(contents, dump),
		      "%s is not config_dump() of the defaults; regenerate it", path);
	ck_assert(g_str_has_prefix(contents, "# "));

	g_auto(Config) loaded = { 0 };
	config_init(&loaded);
	set_all_non_default(&loaded);
	ck_assert_msg(config_load_file(&loaded, path, &err), "%s", err ? err->message : "");
	assert_config_eq(&loaded, &defaults);
}
END_TEST

typedef enum { AT_FILE, AT_SET, AT_VALIDATE } Stage;

typedef struct {
	const char *file;    /* key file text loaded first, or NULL */
	const char *sets[3]; /* then these, in order */
	Stage stage;         /* which step must fail (AT_SET: the last set) */
	ConfigError code;
	const char *needles[3]; /* the message contains each */
} ErrRow;

static const ErrRow err_rows[] = {
	/* unknown names */
	{ NULL, { "cachee.size=1" }, AT_SET, CONFIG_ERROR_KEY,
	  { "unknown group 'cachee' in 'cachee.size'",
	    "(known groups: system, cache, bus, memory, allocator)" } },
	{ "[cachee]\nsize=1\n", { NULL }, AT_FILE, CONFIG_ERROR_KEY,
	  { "unknown group 'cachee'", "known groups: system, cache" } },
	{ NULL, { "cache.sizee=1" }, AT_SET, CONFIG_ERROR_KEY,
	  { "unknown key 'cache.sizee' (known keys in [cache]: size, assoc, line, hit_latency)" } },
	{ "[cache]\nsize=1K\nsizee=1\n", { NULL }, AT_FILE, CONFIG_ERROR_KEY,
	  { "unknown key 'cache.sizee'" } },
	/* numbers */
	{ NULL, { "cache.assoc=x" }, AT_SET, CONFIG_ERROR_VALUE,
	  { "cache.assoc: expected a positive integer, found 'x'" } },
	{ NULL, { "cache.assoc=8x" }, AT_SET, CONFIG_ERROR_VALUE, { "cache.assoc", "found '8x'" } },
	{ NULL, { "cache.assoc=8K" }, AT_SET, CONFIG_ERROR_VALUE, { "cache.assoc", "found '8K'" } },
	{ NULL, { "cache.assoc=1.5" }, AT_SET, CONFIG_ERROR_VALUE,
	  { "cache.assoc", "found '1.5'" } },
	{ NULL, { "system.seed=" }, AT_SET, CONFIG_ERROR_VALUE,
	  { "system.seed: expected a non-negative integer, found ''" } },
	{ NULL, { "cache.assoc=-1" }, AT_SET, CONFIG_ERROR_VALUE,
	  { "cache.assoc: expected a positive integer, found '-1'" } },
	{ NULL, { "bus.snoop_latency=-2" }, AT_SET, CONFIG_ERROR_VALUE,
	  { "bus.snoop_latency: expected a non-negative integer, found '-2'" } },
	{ NULL, { "memory.size=-4096" }, AT_SET, CONFIG_ERROR_VALUE,
	  { "memory.size: expected a positive number of bytes", "found '-4096'" } },
	{ NULL, { "cache.assoc=0" }, AT_SET, CONFIG_ERROR_VALUE,
	  { "cache.assoc: expected a positive integer, found '0'" } },
	{ NULL, { "cache.assoc=4294967296" }, AT_SET, CONFIG_ERROR_VALUE,
	  { "cache.assoc: '4294967296' is too large", "at most 4096" } },
	{ NULL, { "cache.assoc=4097" }, AT_SET, CONFIG_ERROR_VALUE,
	  { "cache.assoc: '4097' is too large", "at most 4096" } },
	{ NULL, { "memory.latency=1048577" }, AT_SET, CONFIG_ERROR_VALUE,
	  { "memory.latency: '1048577' is too large", "at most 1048576" } },
	{ NULL, { "system.seed=9223372036854775808" }, AT_SET, CONFIG_ERROR_VALUE,
	  { "system.seed: '9223372036854775808' is too large", "at most 9223372036854775807" } },
	{ NULL, { "system.seed=18446744073709551616" }, AT_SET, CONFIG_ERROR_VALUE,
	  { "system.seed: '18446744073709551616' is too large" } },
	{ NULL, { "memory.size=0x10000000000000000" }, AT_SET, CONFIG_ERROR_VALUE,
	  { "memory.size", "too large" } },
	{ NULL, { "memory.size=16777216T" }, AT_SET, CONFIG_ERROR_VALUE,
	  { "memory.size: '16777216T' is too large" } },
	{ NULL, { "cache.line=4194304K" }, AT_SET, CONFIG_ERROR_VALUE,
	  { "cache.line: '4194304K' is too large", "at most 4294967295" } },
	{ NULL, { "cache.size=32KB" }, AT_SET, CONFIG_ERROR_VALUE,
	  { "cache.size", "found '32KB'", "KiB" } },
	{ NULL, { "cache.size=0x" }, AT_SET, CONFIG_ERROR_VALUE, { "cache.size", "found '0x'" } },
	{ "[bus]\nwidth=wide\n", { NULL }, AT_FILE, CONFIG_ERROR_VALUE,
	  { "bus.width: expected a positive integer, found 'wide'" } },
	/* names */
	{ NULL, { "system.mode=fast" }, AT_SET, CONFIG_ERROR_VALUE,
	  { "system.mode: expected one of functional, timing, found 'fast'" } },
	{ NULL, { "bus.arbitration=lottery" }, AT_SET, CONFIG_ERROR_VALUE,
	  { "bus.arbitration", "fifo, rr", "'lottery'" } },
	{ NULL, { "allocator.claim=ZERO" }, AT_SET, CONFIG_ERROR_VALUE,
	  { "allocator.claim", "zero, rfo", "'ZERO'" } },
	{ NULL, { "system.protocol=mosi" }, AT_SET, CONFIG_ERROR_VALUE,
	  { "system.protocol: unknown protocol 'mosi'", "msi, mesi, moesi, mesif, dragon" } },
	/* the form of an assignment */
	{ NULL, { "cache.size" }, AT_SET, CONFIG_ERROR_VALUE,
	  { "malformed setting 'cache.size'", "group.key=value" } },
	{ NULL, { "cachesize=1" }, AT_SET, CONFIG_ERROR_VALUE,
	  { "'cachesize=1'", "group.key=value" } },
	{ NULL, { "cache=1.5" }, AT_SET, CONFIG_ERROR_VALUE, { "'cache=1.5'", "group.key=value" } },
	{ NULL, { ".size=1" }, AT_SET, CONFIG_ERROR_VALUE, { "'.size=1'", "group.key=value" } },
	{ NULL, { "cache.=1" }, AT_SET, CONFIG_ERROR_VALUE, { "'cache.=1'", "group.key=value" } },
	{ NULL, { "" }, AT_SET, CONFIG_ERROR_VALUE, { "group.key=value" } },
	/* the key file itself */
	{ "this is not a key file\n", { NULL }, AT_FILE, CONFIG_ERROR_FILE, { "not a key file" } },
	{ "size=1\n[cache]\n", { NULL }, AT_FILE, CONFIG_ERROR_FILE, { NULL } },
	/* cross-key rules, once all layers are in */
	{ NULL, { "cache.line=48" }, AT_VALIDATE, CONFIG_ERROR_VALUE,
	  { "cache.line: must be a power of two from 8 to 4096, found 48" } },
	{ NULL, { "cache.line=4" }, AT_VALIDATE, CONFIG_ERROR_VALUE, { "cache.line", "found 4" } },
	{ NULL, { "cache.size=1M", "cache.line=8192" }, AT_VALIDATE, CONFIG_ERROR_VALUE,
	  { "cache.line", "found 8192" } },
	{ NULL, { "cache.size=256" }, AT_VALIDATE, CONFIG_ERROR_VALUE,
	  { "cache.size: 256 bytes is less than one set", "64 * 8 = 512" } },
	{ NULL, { "cache.size=1000" }, AT_VALIDATE, CONFIG_ERROR_VALUE,
	  { "cache.size", "not a multiple of cache.line * cache.assoc = 512" } },
	{ NULL, { "cache.size=1536" }, AT_VALIDATE, CONFIG_ERROR_VALUE,
	  { "cache.size", "= 3 sets", "power of two" } },
	{ NULL, { "cache.size=2G" }, AT_VALIDATE, CONFIG_ERROR_VALUE, { "cache.size: at most" } },
	{ NULL, { "system.cores=1025" }, AT_VALIDATE, CONFIG_ERROR_VALUE,
	  { "system.cores: at most 1024", "found 1025" } },
	{ NULL, { "bus.width=48" }, AT_VALIDATE, CONFIG_ERROR_VALUE, { "bus.width", "found 48" } },
	{ NULL, { "bus.width=4" }, AT_VALIDATE, CONFIG_ERROR_VALUE, { "bus.width", "found 4" } },
	{ NULL, { "memory.size=1048577" }, AT_VALIDATE, CONFIG_ERROR_VALUE,
	  { "memory.size: must be a multiple of 4096" } },
	{ NULL, { "memory.size=512K" }, AT_VALIDATE, CONFIG_ERROR_VALUE,
	  { "memory.size", "1 MiB", "found 524288" } },
	{ NULL, { "memory.size=0x1000000001000" }, AT_VALIDATE, CONFIG_ERROR_VALUE,
	  { "memory.size", "2^48" } },
	{ NULL, { "memory.size=16M" }, AT_VALIDATE, CONFIG_ERROR_VALUE,
	  { "allocator.zone_pages: 4096 pages", "memory.size (16777216 bytes)" } },
	/* 16 pages take 16 * 4160 + 1 MiB, rounded up to 2 MiB: nothing left. */
	{ NULL, { "memory.size=2M", "allocator.zone_pages=16" }, AT_VALIDATE, CONFIG_ERROR_VALUE,
	  { "allocator.zone_pages: 16 pages", "memory.size (2097152 bytes)" } },
	/* 257607 pages take just over 1023 MiB, rounded up to all of memory. */
	{ NULL, { "memory.size=1G", "allocator.zone_pages=257607" }, AT_VALIDATE,
	  CONFIG_ERROR_VALUE, { "allocator.zone_pages: 257607 pages", "memory.size" } },
	{ NULL, { "allocator.zone_pages=0xffffffffffffffff" }, AT_VALIDATE, CONFIG_ERROR_VALUE,
	  { "allocator.zone_pages: 18446744073709551615 pages", "do not fit" } },
	{ NULL, { "allocator.zone_pages=8" }, AT_VALIDATE, CONFIG_ERROR_VALUE,
	  { "allocator.zone_pages: must be at least 16, found 8" } },
	{ NULL, { "allocator.min_free=100", "allocator.low=50" }, AT_VALIDATE, CONFIG_ERROR_VALUE,
	  { "allocator.min_free (100) is above allocator.low (50)", "min_free <= low <= high" } },
	{ NULL, { "allocator.min_free=100", "allocator.high=50" }, AT_VALIDATE, CONFIG_ERROR_VALUE,
	  { "allocator.min_free", "allocator.high" } },
	{ NULL, { "allocator.high=4096" }, AT_VALIDATE, CONFIG_ERROR_VALUE,
	  { "allocator.high: must be below allocator.zone_pages (4096)" } },
	{ NULL, { "allocator.batch=32", "allocator.pcp_high=16" }, AT_VALIDATE, CONFIG_ERROR_VALUE,
	  { "allocator.pcp_high (16) must be at least allocator.batch (32)" } },
};

static void assert_error(const GError *err, const ErrRow *r)
{
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(err->domain == CONFIG_ERROR, "domain %s: %s", g_quark_to_string(err->domain),
		      err->message);
	ck_assert_msg(err->code == (int)r->code, "code %d, not %d: %s", err->code, r->code,
		      err->message);
	for (int i = 0; i < 3 && r->needles[i]; i++)
		assert_contains(err->message, r->needles[i]);
}

START_TEST(test_error_rows)
{
	const ErrRow *r = &err_rows[_i];
	g_autoptr(GError) err = NULL;
	g_auto(Config) cfg = { 0 };
	config_init(&cfg);
	g_auto(Config) before = { 0 };
	config_init(&before);

	if (r->file) {
		g_autofree char *path = tu_write_temp(r->file, ".ini");
		gboolean ok = config_load_file(&cfg, path, &err);
		if (r->stage == AT_FILE) {
			ck_assert(!ok);
			assert_error(err, r);
			g_autofree char *prefix = g_strdup_printf("%s: ", path);
			ck_assert_msg(g_str_has_prefix(err->message, prefix),
				      "'%s' does not name the file", err->message);
			assert_config_eq(&cfg, &before); /* all or nothing */
			return;
		}
		ck_assert_msg(ok, "%s", err->message);
	}
	for (int i = 0; i < 3 && r->sets[i]; i++) {
		gboolean last = i == 2 || !r->sets[i + 1];
		config_clear(&before);
		config_copy(&before, &cfg);
		gboolean ok = config_set(&cfg, r->sets[i], &err);
		if (r->stage == AT_SET && last) {
			ck_assert_msg(!ok, "'%s' was accepted", r->sets[i]);
			assert_error(err, r);
			assert_config_eq(&cfg, &before); /* nothing changed */
			return;
		}
		ck_assert_msg(ok, "'%s': %s", r->sets[i], err ? err->message : "");
	}
	ck_assert_int_eq(r->stage, AT_VALIDATE);
	ck_assert_msg(!(config_validate(&cfg, &err) && kernel_config_check(&cfg, &err)),
		      "validate accepted row %d", _i);
	assert_error(err, r);
}
END_TEST

START_TEST(test_missing_file)
{
	g_auto(Config) cfg = { 0 };
	config_init(&cfg);
	g_autoptr(GError) err = NULL;
	const char *path = "/nonexistent/labyrinth-config.ini";
	ck_assert(!config_load_file(&cfg, path, &err));
	ck_assert_ptr_nonnull(err);
	ck_assert(g_error_matches(err, CONFIG_ERROR, CONFIG_ERROR_FILE));
	ck_assert(g_str_has_prefix(err->message, "/nonexistent/labyrinth-config.ini: "));
}
END_TEST

/* Edges that config_validate() must accept. */
static const char *const valid_rows[][3] = {
	{ NULL },
	{ "cache.line=8", "cache.size=64" },              /* one set of 8 ways */
	{ "cache.line=4096", "cache.size=32K" },          /* one set of 8 ways */
	{ "cache.assoc=3", "cache.size=1536" },           /* 8 sets of 3 ways */
	{ "cache.assoc=1", "cache.size=1G" },             /* the largest cache */
	{ "system.cores=1024" },
	{ "bus.width=8" },
	{ "memory.size=0x1000000000000" },                /* 2^48 */
	{ "memory.size=2101248", "allocator.zone_pages=16" }, /* 2 MiB region, a page to spare */
	{ "memory.size=1G", "allocator.zone_pages=257606" }, /* a region of 1023 MiB */
	{ "allocator.min_free=10", "allocator.low=10", "allocator.high=20" },
	{ "allocator.min_free=10", "allocator.high=4095" }, /* low derived */
	{ "allocator.batch=31", "allocator.pcp_high=31" },
};

START_TEST(test_valid_rows)
{
	g_auto(Config) cfg = { 0 };
	config_init(&cfg);
	for (int i = 0; i < 3 && valid_rows[_i][i]; i++)
		set_ok(&cfg, valid_rows[_i][i]);
	g_autoptr(GError) err = NULL;
	ck_assert_msg(config_validate(&cfg, &err) && kernel_config_check(&cfg, &err), "row %d: %s",
		      _i, err ? err->message : "");
}
END_TEST

Suite *suite_config(void)
{
	Suite *s = suite_create("config");

	TCase *tc = tcase_create("layers");
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_layers);
	tcase_add_loop_test(tc, test_set_each_key, 0, G_N_ELEMENTS(set_rows));
	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_value_string);
	tcase_add_test(tc, test_copy);
	suite_add_tcase(s, tc);

	tc = tcase_create("dump");
	tcase_add_test(tc, test_dump_round_trip);
	tcase_add_test(tc, test_default_ini);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_loop_test(tc, test_error_rows, 0, G_N_ELEMENTS(err_rows));
	tcase_add_test(tc, test_missing_file);
	tcase_add_loop_test(tc, test_valid_rows, 0, G_N_ELEMENTS(valid_rows));
	suite_add_tcase(s, tc);
	return s;
}
