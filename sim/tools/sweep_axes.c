/* sweep_axes.c - a sweep's grid from the command line's lists (sweep_axes.h):
 * core counts made canonical, "all" protocols expanded, one axis per --set
 * key, a workload file read once to learn its name and the cores it needs,
 * and every point's configuration built as run would build it and
 * validated, so that a bad point stops the sweep before anything runs.
 */
#include <string.h>

#include "protocol.h"
#include "sweep_axes.h"
#include "input/config.h"
#include "input/workload.h"
#include "kernel/layout.h"

/* The core counts, canonical ("04" becomes "4"). */
static gboolean cores_axis(SweepGrid *g, const char *list, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(list, ",", -1);
	g_autoptr(GString) canon = g_string_new(NULL);
	for (char **p = parts; *p; p++) {
		guint64 n;
		g_autofree char *v = g_strstrip(g_strdup(*p));
		if (!g_ascii_string_to_unsigned(v, 10, 1, WL_MAX_CORES, &n, NULL))
			return sweep_bad_input(error,
					       "--cores: expected core counts from 1 to %d "
					       "separated by commas, found '%s'",
					       WL_MAX_CORES, v);
		g_string_append_printf(canon, "%s%" G_GUINT64_FORMAT, canon->len ? "," : "", n);
	}
	return sweep_grid_set_axis(g, "cores", canon->str, error);
}

static gboolean protocol_axis(SweepGrid *g, const char *list, GError **error)
{
	if (strcmp(list, "all") == 0) {
		g_autoptr(GString) all = g_string_new(NULL);
		for (const Protocol *const *p = proto_all(); *p; p++)
			g_string_append_printf(all, "%s%s", all->len ? "," : "", (*p)->name);
		return sweep_grid_set_axis(g, "protocol", all->str, error);
	}
	if (!sweep_grid_set_axis(g, "protocol", list, error))
		return FALSE;
	const SweepAxis *axis = sweep_grid_axis(g, "protocol");
	for (guint k = 0; k < axis->values->len; k++) {
		const char *name = g_ptr_array_index(axis->values, k);
		if (!proto_lookup(name))
			return sweep_bad_input(error,
					       "--protocol: unknown protocol '%s' (expected all "
					       "or a list of %s)",
					       name, proto_names());
	}
	return TRUE;
}

/* --set GROUP.KEY=V1,V2: one axis per key, a later --set of a key winning.
 * The keys with options of their own must be given through them, since
 * run applies those after --set. */
static gboolean set_axes(SweepGrid *g, char **sets, GError **error)
{
	static const char *const own_option[][2] = {
		{ "system.cores", "--cores" },
		{ "system.protocol", "--protocol" },
		{ "system.mode", "--mode" },
	};
	for (char **s = sets; s && *s; s++) {
		const char *eq = strchr(*s, '=');
		if (!eq || eq == *s || !memchr(*s, '.', (gsize)(eq - *s)))
			return sweep_bad_input(error,
					       "--set: expected GROUP.KEY=VALUE[,VALUE...], "
					       "found '%s'",
					       *s);
		g_autofree char *key = g_strstrip(g_strndup(*s, (gsize)(eq - *s)));
		for (gsize k = 0; k < G_N_ELEMENTS(own_option); k++)
			if (strcmp(key, own_option[k][0]) == 0)
				return sweep_bad_input(error, "--set %s: sweep it with %s", key,
						       own_option[k][1]);
		if (!sweep_grid_set_axis(g, key, eq + 1, error))
			return FALSE;
	}
	return TRUE;
}

/* The configuration of point i, as run will build it: defaults, the
 * grid's --config file (already in base), then the point's values. */
static gboolean point_config(const SweepGrid *g, gsize i, const Config *base, GError **error)
{
	const char *values[g->axes->len];
	sweep_grid_point(g, i, values);
	g_auto(Config) cfg = { 0 };
	config_copy(&cfg, base);
	gboolean ok = TRUE;
	for (guint a = 0; a < g->axes->len && ok; a++) {
		const SweepAxis *axis = g_ptr_array_index(g->axes, a);
		if (!strchr(axis->name, '.'))
			ok = config_set_key(&cfg, "system", axis->name, values[a], error);
		else {
			g_autofree char *assignment = g_strconcat(axis->name, "=", values[a], NULL);
			ok = config_set(&cfg, assignment, error);
		}
	}
	return ok && config_validate(&cfg, error) && kernel_config_check(&cfg, error);
}

/* Every point's configuration must be valid before anything runs. */
static gboolean check_configs(const SweepGrid *g, GError **error)
{
	g_auto(Config) base = { 0 };
	config_init(&base);
	if (g->config && !config_load_file(&base, g->config, error))
		return FALSE;
	gsize n = sweep_grid_n_points(g);
	for (gsize i = 0; i < n; i++) {
		g_autoptr(GError) err = NULL;
		if (!point_config(g, i, &base, &err)) {
			g_autofree char *id = sweep_point_id(g, i);
			return sweep_bad_input(error, "point %s: %s", id, err->message);
		}
	}
	return TRUE;
}

/* A workload file: its name for the CSV, its core count when --cores is
 * not given, and a check that it can run on every count listed.  This
 * reads the whole file once (wl_validate), which also finds a malformed
 * workload before any point runs. */
static gboolean scan_workload(SweepGrid *g, const char *cores_list, GError **error)
{
	g_autoptr(WlFile) wl = wl_open(g->workload, error);
	if (!wl)
		return FALSE;
	WlLimits limits = { 0 };
	WlInfo info;
	if (!wl_validate(wl, &limits, &info, error))
		return FALSE;
	unsigned needed = 1;
	for (unsigned c = 0; c < WL_MAX_CORES; c++)
		if (info.ops_per_core[c])
			needed = c + 1;
	if (info.name) {
		g_free(g->label);
		g->label = g_strdup(info.name);
	}
	g_autofree char *own = g_strdup_printf("%u", info.cores);
	wl_info_clear(&info);
	if (!cores_axis(g, cores_list ? cores_list : own, error))
		return FALSE;
	const SweepAxis *axis = sweep_grid_axis(g, "cores");
	for (guint k = 0; k < axis->values->len; k++) {
		const char *v = g_ptr_array_index(axis->values, k);
		if (g_ascii_strtoull(v, NULL, 10) < needed)
			return sweep_bad_input(error,
					       "--cores %s: %s has operations for core %u, so "
					       "it needs at least %u cores (a workload file "
					       "fixes its cores; sweep over cores with --gen)",
					       v, g->workload, needed - 1, needed);
	}
	return TRUE;
}

/* The workload's name when it has no %name: the file name without its
 * extensions. */
static char *file_label(const char *path)
{
	char *base = g_path_get_basename(path);
	char *dot = strchr(base, '.');
	if (dot && dot != base)
		*dot = '\0';
	return base;
}

SweepGrid *sweep_grid_build(const SweepSpec *spec, GError **error)
{
	g_autoptr(SweepGrid) g = sweep_grid_new();
	g_assert(!spec->gen != !spec->workload && (spec->gen || (!spec->ops && !spec->seed)));
	if (spec->config)
		g->config = g_canonicalize_filename(spec->config, NULL);

	g_auto(Config) base = { 0 };
	config_init(&base);
	if (g->config && !config_load_file(&base, g->config, error))
		return NULL;

	if (spec->gen) {
		if (!spec->cores) {
			sweep_bad_input(error,
					"--gen needs --cores: the core counts to generate for");
			return NULL;
		}
		g->gen_pattern = g_strdup(spec->gen);
		g->gen_ops = g_strdup(spec->ops);
		g->gen_seed = g_strdup(spec->seed);
		g->label = g_strdup(spec->gen);
		if (strpbrk(spec->gen, "/\\") || spec->gen[0] == '.') {
			sweep_bad_input(error, "--gen: '%s' is not a pattern name", spec->gen);
			return NULL;
		}
		if (!cores_axis(g, spec->cores, error))
			return NULL;
	} else {
		g->workload = g_canonicalize_filename(spec->workload, NULL);
		g->label = file_label(g->workload);
		if (!scan_workload(g, spec->cores, error))
			return NULL;
	}
	if (!protocol_axis(g, spec->protocol ? spec->protocol : base.protocol, error))
		return NULL;
	if (spec->mode && !sweep_grid_set_axis(g, "mode", spec->mode, error))
		return NULL;
	if (!set_axes(g, spec->sets, error) || !sweep_grid_check_ids(g, error) ||
	    !check_configs(g, error))
		return NULL;
	return g_steal_pointer(&g);
}
