/* config.c - the settings of a run: one table of keys, and code that only
 * interprets it.
 *
 * Each row of keys[] names a [group] key, the Config field that holds it
 * (by offsetof), its type, default, unit and a one-line description.
 * Loading a key file, --set, --dump-config, config_value_string() and the
 * JSON "config" section all walk these rows, so a setting is added by
 * adding a Config field and a row, and cannot be known to one of them and
 * missing from another.
 *
 * Checks come in two kinds.  The form of one value (a number that fits its
 * field, a known enum name or protocol) is checked as it is set, so the
 * error names the layer that set it.  Rules tying several keys together
 * (cache geometry, where the allocator's zone sits in memory) wait for
 * config_validate(), once every layer is in: a file may raise cache.line
 * before it raises cache.size without tripping over a default in between.
 *
 * Numbers are decimal or 0x hex, with no sign.  Byte sizes (cache.size,
 * cache.line, memory.size) may end in K, M, G or T, or KiB, MiB, GiB, TiB:
 * all binary, 1K = 1024.  Errors name group.key and say what was expected.
 */
#include <limits.h>
#include <stddef.h>
#include <string.h>

#include "config.h"
#include "protocol.h"
#include "workload.h"

G_DEFINE_QUARK(labyrinth-config-error-quark, config_error)

typedef enum {
	KT_UINT,     /* unsigned */
	KT_UINT64,   /* uint64_t */
	KT_ENUM,     /* an enum, stored as int; names[] spells its values */
	KT_PROTOCOL, /* char *, a name proto_lookup() knows */
} KeyType;

typedef struct {
	ConfigKeyInfo info; /* first, so config_key() hands out &keys[i].info */
	KeyType type;
	gboolean size;        /* numbers: a K/M/G/T (KiB/MiB/GiB/TiB) suffix is accepted */
	size_t offset;        /* of the field in Config */
	uint64_t min;         /* numbers: 0 or 1, the smallest value a setting may give */
	uint64_t max;         /* numbers: the largest, or 0 for the field type's */
	uint64_t def;         /* numbers: the default; enums: the default's index */
	const char *def_name; /* KT_PROTOCOL: the default */
	const char *unit;     /* numbers: the unit the dump's comment gives */
	const char *const *names; /* KT_ENUM: NULL-terminated, indexed by value */
} KeyDef;

/* offsetof(Config, f), refusing to compile when the field is not of the
 * size the row's type reads and writes (an enum must be an int). */
#define FIELD(f, t)                                                                                \
	(offsetof(Config, f) + 0 * sizeof(char[sizeof(((Config *)0)->f) == sizeof(t) ? 1 : -1]))

/* Rows by type.  mn is 0 or 1, mx 0 for the type's maximum; sizes are
 * positive byte counts. */
#define KEY_NUM(g, k, f, t, kt, sz, mn, mx, d, u, doc)                                             \
	{ { g, k, doc, 1 }, kt, sz, FIELD(f, t), mn, mx, d, NULL, u, NULL }
#define KEY_UINT(g, k, f, mn, d, u, doc)                                                           \
	KEY_NUM(g, k, f, unsigned, KT_UINT, FALSE, mn, 0, d, u, doc)
#define KEY_UINT_UPTO(g, k, f, mn, mx, d, u, doc)                                                  \
	KEY_NUM(g, k, f, unsigned, KT_UINT, FALSE, mn, mx, d, u, doc)
#define KEY_UINT64(g, k, f, mn, d, u, doc)                                                         \
	KEY_NUM(g, k, f, uint64_t, KT_UINT64, FALSE, mn, 0, d, u, doc)
#define KEY_UINT64_UPTO(g, k, f, mn, mx, d, u, doc)                                                \
	KEY_NUM(g, k, f, uint64_t, KT_UINT64, FALSE, mn, mx, d, u, doc)
#define KEY_SIZE(g, k, f, t, kt, d, doc) KEY_NUM(g, k, f, t, kt, TRUE, 1, 0, d, "bytes", doc)
#define KEY_ENUM(g, k, f, nm, d, doc)                                                              \
	{ { g, k, doc, 0 }, KT_ENUM, FALSE, FIELD(f, int), 0, 0, d, NULL, NULL, nm }
#define KEY_PROTOCOL(g, k, f, d, doc)                                                              \
	{ { g, k, doc, 0 }, KT_PROTOCOL, FALSE, FIELD(f, char *), 0, 0, 0, d, NULL, NULL }

static const char *const mode_names[] = {
	[MODE_FUNCTIONAL] = "functional", [MODE_TIMING] = "timing", NULL
};
static const char *const schedule_names[] = {
	[SCHED_ROUNDS] = "rounds", [SCHED_FILE] = "file", NULL
};
static const char *const arbitration_names[] = {
	[ARB_FIFO] = "fifo", [ARB_ROUND_ROBIN] = "rr", NULL
};
static const char *const policy_names[] = {
	[ALLOC_POLICY_GLOBAL] = "global", [ALLOC_POLICY_PCP] = "pcp", NULL
};
static const char *const lock_names[] = {
	[ALLOC_LOCK_TICKET] = "ticket", [ALLOC_LOCK_TTAS] = "ttas", NULL
};
static const char *const claim_names[] = {
	[ALLOC_CLAIM_ZERO] = "zero", [ALLOC_CLAIM_RFO] = "rfo", NULL
};

#define PAGE_SIZE 4096u /* memory.size is a whole number of pages */
#define MiB (UINT64_C(1) << 20)
#define MEM_SIZE_MAX (UINT64_C(1) << 48)
#define CACHE_SIZE_MAX (UINT64_C(1) << 30)
/* Every latency: a million cycles is far beyond any real one, and keeps a
 * run's cycle count far below 2^63 (docs/cli.md, limits). */
#define LATENCY_MAX (1u << 20)
/* A lookup and a victim scan every way of a set: more ways than this make
 * each access crawl. */
#define ASSOC_MAX 4096u
/* The JSON's integers are signed 64-bit (json-glib). */
#define SEED_MAX ((uint64_t)G_MAXINT64)

/* Groups are contiguous and appear in the order of their first key; the
 * dump follows this order. */
static const KeyDef keys[] = {
	KEY_UINT("system", "cores", cores, 0, 0, "cores",
		 "cores simulated; 0 takes the workload's %cores, else its highest core id + 1"),
	KEY_PROTOCOL("system", "protocol", protocol, "mesi", "coherence protocol of every cache"),
	KEY_ENUM("system", "mode", mode, mode_names, MODE_TIMING,
		 "functional counts turns; timing counts cycles"),
	KEY_ENUM("system", "schedule", schedule, schedule_names, SCHED_ROUNDS,
		 "rounds: a turn per core per round; file: the line order"),
	KEY_UINT64_UPTO("system", "seed", seed, 0, SEED_MAX, 1, "integer",
			"every random choice derives from it; at most 2^63 - 1"),

	KEY_SIZE("cache", "size", cache_size, uint64_t, KT_UINT64, 32768,
		 "each core's private cache; size / (line * assoc) sets, a power of two"),
	KEY_UINT_UPTO("cache", "assoc", assoc, 1, ASSOC_MAX, 8, "ways", "ways per set, 1 to 4096"),
	KEY_SIZE("cache", "line", line, unsigned, KT_UINT, 64, "a power of two from 8 to 4096"),
	KEY_UINT_UPTO("cache", "hit_latency", hit_latency, 0, LATENCY_MAX, 1, "cycles",
		      "latency of a hit; at most 2^20"),

	KEY_ENUM("bus", "arbitration", arbitration, arbitration_names, ARB_FIFO,
		 "next bus owner: fifo by request time, rr round-robin by core"),
	KEY_UINT_UPTO("bus", "snoop_latency", snoop_latency, 0, LATENCY_MAX, 2, "cycles",
		      "the address and snoop phase of a transaction; at most 2^20"),
	KEY_UINT_UPTO("bus", "c2c_latency", c2c_latency, 0, LATENCY_MAX, 8, "cycles",
		      "moving a line from one cache to another; at most 2^20"),
	KEY_UINT("bus", "width", bus_width, 1, 32, "bytes/cycle",
		 "data moved per bus cycle; a power of two, at least 8"),

	KEY_SIZE("memory", "size", mem_size, uint64_t, KT_UINT64, MEM_SIZE_MAX,
		 "physical memory (sparse); a multiple of 4096 from 1 MiB to 2^48"),
	KEY_UINT_UPTO("memory", "latency", mem_latency, 0, LATENCY_MAX, 100, "cycles",
		      "from request to first data; at most 2^20"),
	KEY_UINT("memory", "bandwidth", mem_bandwidth, 1, 16, "bytes/cycle",
		 "data memory delivers per cycle"),

	KEY_UINT64("allocator", "zone_pages", zone_pages, 1, 4096, "pages",
		   "4 KiB frames in the zone, at the top of memory; at least 16"),
	KEY_UINT64("allocator", "min_free", min_free, 0, 0, "pages",
		   "min watermark; 0 derives it as Linux does"),
	KEY_UINT64("allocator", "low", wmark_low, 0, 0, "pages",
		   "low watermark; 0 derives it from min_free"),
	KEY_UINT64("allocator", "high", wmark_high, 0, 0, "pages",
		   "high watermark; 0 derives it from min_free"),
	KEY_UINT("allocator", "batch", batch, 0, 0, "pages",
		 "per-cpu list refill and drain batch; 0 derives it from the zone size"),
	KEY_UINT("allocator", "pcp_high", pcp_high, 0, 0, "pages",
		 "per-cpu list high mark; 0 derives it from batch"),
	KEY_ENUM("allocator", "policy", alloc_policy, policy_names, ALLOC_POLICY_PCP,
		 "global: zone lock per page; pcp: order-0 pages from per-cpu lists"),
	KEY_ENUM("allocator", "lock", alloc_lock, lock_names, ALLOC_LOCK_TICKET,
		 "the zone lock: ticket, or test-and-test-and-set"),
	KEY_ENUM("allocator", "claim", alloc_claim, claim_names, ALLOC_CLAIM_ZERO,
		 "claiming new pages: zero by BusInv, rfo by read for ownership"),
};

#define N_KEYS ((int)G_N_ELEMENTS(keys))

/* Number suffixes for size keys; all binary: 1K = 1KiB = 1024. */
static const struct {
	const char *name;
	unsigned shift;
} suffixes[] = {
	{ "K", 10 }, { "KiB", 10 }, { "M", 20 }, { "MiB", 20 },
	{ "G", 30 }, { "GiB", 30 }, { "T", 40 }, { "TiB", 40 },
};

int config_n_keys(void)
{
	return N_KEYS;
}

const ConfigKeyInfo *config_key(int i)
{
	g_assert(i >= 0 && i < N_KEYS);
	return &keys[i].info;
}

static const KeyDef *find_key(const char *group, const char *key)
{
	for (int i = 0; i < N_KEYS; i++)
		if (strcmp(keys[i].info.group, group) == 0 && strcmp(keys[i].info.key, key) == 0)
			return &keys[i];
	return NULL;
}

static gboolean group_known(const char *group)
{
	for (int i = 0; i < N_KEYS; i++)
		if (strcmp(keys[i].info.group, group) == 0)
			return TRUE;
	return FALSE;
}

static void set_unknown_group_error(const char *group, const char *key, GError **error)
{
	g_autoptr(GString) known = g_string_new(NULL);
	for (int i = 0; i < N_KEYS; i++)
		if (i == 0 || strcmp(keys[i].info.group, keys[i - 1].info.group) != 0)
			g_string_append_printf(known, "%s%s", i ? ", " : "", keys[i].info.group);
	if (key)
		g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_KEY,
			    "unknown group '%s' in '%s.%s' (known groups: %s)", group, group, key,
			    known->str);
	else
		g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_KEY,
			    "unknown group '%s' (known groups: %s)", group, known->str);
}

static void set_unknown_key_error(const char *group, const char *key, GError **error)
{
	if (!group_known(group)) {
		set_unknown_group_error(group, key, error);
		return;
	}
	g_autoptr(GString) known = g_string_new(NULL);
	for (int i = 0; i < N_KEYS; i++)
		if (strcmp(keys[i].info.group, group) == 0)
			g_string_append_printf(known, "%s%s", known->len ? ", " : "",
					       keys[i].info.key);
	g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_KEY,
		    "unknown key '%s.%s' (known keys in [%s]: %s)", group, key, group, known->str);
}

/* "msi, mesi, ..." (sep ", ") or "msi|mesi|..." (sep "|"). */
static char *protocol_list(const char *sep)
{
	const Protocol *const *all = proto_all();
	g_autoptr(GString) s = g_string_new(NULL);
	for (int i = 0; all[i]; i++)
		g_string_append_printf(s, "%s%s", i ? sep : "", all[i]->name);
	return g_string_free(g_steal_pointer(&s), FALSE);
}

static char *enum_list(const KeyDef *k, const char *sep)
{
	return g_strjoinv(sep, (char **)k->names);
}

static int enum_count(const KeyDef *k)
{
	int n = 0;
	while (k->names[n])
		n++;
	return n;
}

static void *field(Config *cfg, const KeyDef *k)
{
	return (char *)cfg + k->offset;
}

static const void *field_const(const Config *cfg, const KeyDef *k)
{
	return (const char *)cfg + k->offset;
}

static const char *expected_number(const KeyDef *k)
{
	g_assert(k->min <= 1);
	if (k->size)
		return "a positive number of bytes (decimal or 0x hex, optionally followed by "
		       "K, M, G, T or KiB, MiB, GiB, TiB; 1K = 1024)";
	return k->min ? "a positive integer" : "a non-negative integer";
}

/* Decimal or 0x hex, then for size keys an optional suffix (blanks may
 * separate it); no sign.  Rejects values beyond the field's type and below
 * the row's minimum. */
static gboolean parse_number(const KeyDef *k, const char *text, uint64_t *out, GError **error)
{
	uint64_t max = k->max ? k->max : k->type == KT_UINT ? UINT_MAX : UINT64_MAX;
	const char *p = text;
	unsigned base = 10;
	uint64_t v = 0;
	gboolean too_big = FALSE;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	const char *digits = p;
	for (; base == 16 ? g_ascii_isxdigit(*p) : g_ascii_isdigit(*p); p++) {
		unsigned d = (unsigned)g_ascii_xdigit_value(*p);
		if (v > (UINT64_MAX - d) / base)
			too_big = TRUE;
		else
			v = v * base + d;
	}
	if (p == digits)
		goto bad;
	if (k->size) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p) {
			unsigned i;
			for (i = 0; i < G_N_ELEMENTS(suffixes); i++)
				if (strcmp(p, suffixes[i].name) == 0)
					break;
			if (i == G_N_ELEMENTS(suffixes))
				goto bad;
			if (v > UINT64_MAX >> suffixes[i].shift)
				too_big = TRUE;
			else
				v <<= suffixes[i].shift;
			p += strlen(p);
		}
	}
	if (*p)
		goto bad;
	if (too_big || v > max) {
		g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_VALUE,
			    "%s.%s: '%s' is too large (expected %s, at most %" G_GUINT64_FORMAT ")",
			    k->info.group, k->info.key, text, expected_number(k), max);
		return FALSE;
	}
	if (v < k->min)
		goto bad;
	*out = v;
	return TRUE;
bad:
	g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_VALUE, "%s.%s: expected %s, found '%s'",
		    k->info.group, k->info.key, expected_number(k), text);
	return FALSE;
}

static gboolean check_protocol(const char *what, const char *name, GError **error)
{
	if (name && proto_lookup(name))
		return TRUE;
	g_autofree char *list = protocol_list(", ");
	g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_VALUE,
		    "%s: unknown protocol '%s' (expected one of %s)", what, name ? name : "", list);
	return FALSE;
}

static void store_number(Config *cfg, const KeyDef *k, uint64_t v)
{
	if (k->type == KT_UINT) {
		g_assert(v <= UINT_MAX);
		*(unsigned *)field(cfg, k) = (unsigned)v;
	} else {
		g_assert(k->type == KT_UINT64);
		*(uint64_t *)field(cfg, k) = v;
	}
}

void config_init(Config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	for (int i = 0; i < N_KEYS; i++) {
		const KeyDef *k = &keys[i];
		switch (k->type) {
		case KT_UINT:
		case KT_UINT64:
			store_number(cfg, k, k->def);
			break;
		case KT_ENUM:
			g_assert(k->def < (uint64_t)enum_count(k));
			*(int *)field(cfg, k) = (int)k->def;
			break;
		case KT_PROTOCOL:
			*(char **)field(cfg, k) = g_strdup(k->def_name);
			break;
		}
	}
}

void config_clear(Config *cfg)
{
	g_free(cfg->protocol);
	memset(cfg, 0, sizeof(*cfg));
}

void config_copy(Config *dst, const Config *src)
{
	*dst = *src;
	dst->protocol = g_strdup(src->protocol);
}

gboolean config_set_key(Config *cfg, const char *group, const char *key, const char *value,
			GError **error)
{
	const KeyDef *k = find_key(group, key);
	if (!k) {
		set_unknown_key_error(group, key, error);
		return FALSE;
	}
	g_autofree char *text = g_strstrip(g_strdup(value));

	switch (k->type) {
	case KT_UINT:
	case KT_UINT64: {
		uint64_t v;
		if (!parse_number(k, text, &v, error))
			return FALSE;
		store_number(cfg, k, v);
		return TRUE;
	}
	case KT_ENUM: {
		for (int i = 0; k->names[i]; i++) {
			if (strcmp(k->names[i], text) == 0) {
				*(int *)field(cfg, k) = i;
				return TRUE;
			}
		}
		g_autofree char *list = enum_list(k, ", ");
		g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_VALUE,
			    "%s.%s: expected one of %s, found '%s'", group, key, list, text);
		return FALSE;
	}
	case KT_PROTOCOL: {
		g_autofree char *what = g_strdup_printf("%s.%s", group, key);
		if (!check_protocol(what, text, error))
			return FALSE;
		char **slot = field(cfg, k);
		g_free(*slot);
		*slot = g_steal_pointer(&text);
		return TRUE;
	}
	}
	g_assert_not_reached();
}

/* Malformed assignments are CONFIG_ERROR_VALUE: the value given to --set
 * has the wrong form. */
gboolean config_set(Config *cfg, const char *assignment, GError **error)
{
	const char *dot = strchr(assignment, '.');
	const char *eq = strchr(assignment, '=');
	if (dot && eq && dot < eq) {
		g_autofree char *group = g_strstrip(g_strndup(assignment, dot - assignment));
		g_autofree char *key = g_strstrip(g_strndup(dot + 1, eq - dot - 1));
		if (*group && *key)
			return config_set_key(cfg, group, key, eq + 1, error);
	}
	g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_VALUE,
		    "malformed setting '%s': expected the form group.key=value "
		    "(e.g. cache.size=65536)",
		    assignment);
	return FALSE;
}

static gboolean apply_key_file(Config *cfg, GKeyFile *kf, GError **error)
{
	g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
	for (int g = 0; groups[g]; g++) {
		if (!group_known(groups[g])) {
			set_unknown_group_error(groups[g], NULL, error);
			return FALSE;
		}
		g_auto(GStrv) names = g_key_file_get_keys(kf, groups[g], NULL, NULL);
		for (int i = 0; names && names[i]; i++) {
			g_autofree char *value =
				g_key_file_get_value(kf, groups[g], names[i], NULL);
			g_assert(value);
			if (!config_set_key(cfg, groups[g], names[i], value, error))
				return FALSE;
		}
	}
	return TRUE;
}

/* Applies the whole file or nothing: keys go into a copy that replaces cfg
 * only when every one of them was accepted. */
gboolean config_load_file(Config *cfg, const char *path, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) local = NULL;
	if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &local)) {
		g_set_error(error, CONFIG_ERROR, CONFIG_ERROR_FILE, "%s: %s", path, local->message);
		return FALSE;
	}
	Config tmp;
	config_copy(&tmp, cfg);
	if (!apply_key_file(&tmp, kf, error)) {
		config_clear(&tmp);
		g_prefix_error(error, "%s: ", path);
		return FALSE;
	}
	config_clear(cfg);
	*cfg = tmp;
	return TRUE;
}

static gboolean is_pow2(uint64_t v)
{
	return v && (v & (v - 1)) == 0;
}

/* Sets a CONFIG_ERROR_VALUE; returns FALSE so a rule reads "return invalid(...)". */
static gboolean invalid(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static gboolean invalid(GError **error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error_literal(error, CONFIG_ERROR, CONFIG_ERROR_VALUE, msg);
	return FALSE;
}

static gboolean validate_cache(const Config *cfg, GError **error)
{
	if (cfg->line < 8 || cfg->line > 4096 || !is_pow2(cfg->line))
		return invalid(error, "cache.line: must be a power of two from 8 to 4096, found %u",
			       cfg->line);
	if (cfg->assoc < 1)
		return invalid(error, "cache.assoc: must be at least 1, found 0");
	uint64_t set_bytes = (uint64_t)cfg->line * cfg->assoc;
	if (cfg->cache_size < set_bytes)
		return invalid(error,
			       "cache.size: %" G_GUINT64_FORMAT " bytes is less than one set, "
			       "cache.line * cache.assoc = %u * %u = %" G_GUINT64_FORMAT " bytes",
			       cfg->cache_size, cfg->line, cfg->assoc, set_bytes);
	/* Slots are ints in cache.h, and each core allocates the whole array. */
	if (cfg->cache_size > CACHE_SIZE_MAX)
		return invalid(error,
			       "cache.size: at most %" G_GUINT64_FORMAT " bytes (1 GiB), "
			       "found %" G_GUINT64_FORMAT,
			       CACHE_SIZE_MAX, cfg->cache_size);
	if (cfg->cache_size % set_bytes != 0)
		return invalid(error,
			       "cache.size: %" G_GUINT64_FORMAT " bytes is not a multiple of "
			       "cache.line * cache.assoc = %" G_GUINT64_FORMAT " bytes",
			       cfg->cache_size, set_bytes);
	uint64_t sets = cfg->cache_size / set_bytes;
	if (!is_pow2(sets))
		return invalid(error,
			       "cache.size: %" G_GUINT64_FORMAT " / (cache.line * cache.assoc) = "
			       "%" G_GUINT64_FORMAT " sets; the number of sets must be a power "
			       "of two",
			       cfg->cache_size, sets);
	return TRUE;
}

static gboolean validate_memory(const Config *cfg, GError **error)
{
	if (cfg->mem_size % PAGE_SIZE != 0)
		return invalid(error,
			       "memory.size: must be a multiple of 4096, found %" G_GUINT64_FORMAT,
			       cfg->mem_size);
	if (cfg->mem_size < MiB || cfg->mem_size > MEM_SIZE_MAX)
		return invalid(error,
			       "memory.size: must be from 1 MiB (1048576) to 2^48 "
			       "(281474976710656) bytes, found %" G_GUINT64_FORMAT,
			       cfg->mem_size);
	if (cfg->mem_bandwidth < 1)
		return invalid(error,
			       "memory.bandwidth: must be at least 1 byte per cycle, found 0");
	return TRUE;
}

static gboolean validate_allocator(const Config *cfg, GError **error)
{
	if (cfg->zone_pages < 16)
		return invalid(error,
			       "allocator.zone_pages: must be at least 16, "
			       "found %" G_GUINT64_FORMAT,
			       cfg->zone_pages);
	/* Whether the region fits below memory.size is the kernel's rule
	 * (kernel_config_check() in sim/kernel/layout.c): it knows the layout. */

	/* Explicit watermarks keep Linux's order, min <= low <= high, and stay
	 * inside the zone; a 0 (derived) one is left to the allocator. */
	static const char *const wm_keys[] = { "min_free", "low", "high" };
	const uint64_t wm[] = { cfg->min_free, cfg->wmark_low, cfg->wmark_high };
	for (int i = 0; i < 3; i++) {
		if (wm[i] && wm[i] >= cfg->zone_pages)
			return invalid(error,
				       "allocator.%s: must be below allocator.zone_pages "
				       "(%" G_GUINT64_FORMAT "), found %" G_GUINT64_FORMAT,
				       wm_keys[i], cfg->zone_pages, wm[i]);
		for (int j = i + 1; j < 3; j++)
			if (wm[i] && wm[j] && wm[i] > wm[j])
				return invalid(error,
					       "allocator.%s (%" G_GUINT64_FORMAT ") is above "
					       "allocator.%s (%" G_GUINT64_FORMAT "): "
					       "watermarks must satisfy "
					       "min_free <= low <= high < zone_pages",
					       wm_keys[i], wm[i], wm_keys[j], wm[j]);
	}
	if (cfg->batch && cfg->pcp_high && cfg->pcp_high < cfg->batch)
		return invalid(error,
			       "allocator.pcp_high (%u) must be at least allocator.batch (%u)",
			       cfg->pcp_high, cfg->batch);
	return TRUE;
}

gboolean config_validate(const Config *cfg, GError **error)
{
	if (cfg->cores > WL_MAX_CORES)
		return invalid(error, "system.cores: at most %d cores are supported, found %u",
			       WL_MAX_CORES, cfg->cores);
	if (!check_protocol("system.protocol", cfg->protocol, error))
		return FALSE;
	if (!validate_cache(cfg, error))
		return FALSE;
	if (cfg->bus_width < 8 || !is_pow2(cfg->bus_width))
		return invalid(error,
			       "bus.width: must be a power of two of at least 8 bytes, found %u",
			       cfg->bus_width);
	return validate_memory(cfg, error) && validate_allocator(cfg, error);
}

static char *value_text(const Config *cfg, const KeyDef *k)
{
	const void *p = field_const(cfg, k);
	switch (k->type) {
	case KT_UINT:
		return g_strdup_printf("%u", *(const unsigned *)p);
	case KT_UINT64:
		return g_strdup_printf("%" G_GUINT64_FORMAT, *(const uint64_t *)p);
	case KT_ENUM: {
		int v = *(const int *)p;
		g_assert(v >= 0 && v < enum_count(k));
		return g_strdup(k->names[v]);
	}
	case KT_PROTOCOL: {
		const char *s = *(char *const *)p;
		return g_strdup(s ? s : "");
	}
	}
	g_assert_not_reached();
}

/* NULL for a group and key the table does not have. */
char *config_value_string(const Config *cfg, const char *group, const char *key)
{
	const KeyDef *k = find_key(group, key);
	return k ? value_text(cfg, k) : NULL;
}

static char *unit_text(const KeyDef *k)
{
	g_autofree char *list = NULL;
	switch (k->type) {
	case KT_UINT:
	case KT_UINT64:
		return g_strdup(k->unit);
	case KT_ENUM:
		list = enum_list(k, "|");
		break;
	case KT_PROTOCOL:
		list = protocol_list("|");
		break;
	}
	return g_strdup_printf("one of %s", list);
}

char *config_dump(const Config *cfg)
{
	Config defaults;
	config_init(&defaults);
	g_autoptr(GString) out = g_string_new(NULL);

	for (int i = 0; i < N_KEYS; i++) {
		const KeyDef *k = &keys[i];
		if (i == 0 || strcmp(k->info.group, keys[i - 1].info.group) != 0)
			g_string_append_printf(out, "%s[%s]\n", i ? "\n" : "", k->info.group);
		g_autofree char *unit = unit_text(k);
		g_autofree char *def = value_text(&defaults, k);
		g_autofree char *value = value_text(cfg, k);
		g_string_append_printf(out, "# %s (%s, default %s)\n%s=%s\n", k->info.doc, unit,
				       def, k->info.key, value);
	}
	config_clear(&defaults);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

const char *config_mode_name(SimMode m)
{
	g_assert((unsigned)m < G_N_ELEMENTS(mode_names) - 1);
	return mode_names[m];
}

const char *config_schedule_name(SimSchedule s)
{
	g_assert((unsigned)s < G_N_ELEMENTS(schedule_names) - 1);
	return schedule_names[s];
}
