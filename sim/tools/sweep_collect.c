/* sweep_collect.c - gathering a sweep's results into DIR/sweep.csv
 * (sweep_collect.h); the rows themselves are sweep.c's.
 */
#include <stdio.h>
#include <string.h>

#include "sweep_collect.h"
#include "sweep_dir.h"


/* The first line of a point's .err, for the report on stderr. */
static char *first_line(const char *path)
{
	g_autofree char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return g_strdup("");
	char *nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	return g_strdup(text);
}

gssize sweep_collect_csv(const SweepGrid *g, const char *dir, GError **error)
{
	gsize n = sweep_grid_n_points(g), not_ok = 0;
	gsize n_cols = sweep_n_stat_columns();
	g_autofree gboolean *absent = g_new0(gboolean, n_cols);
	g_autofree char *header = sweep_csv_header(g);
	g_autoptr(GString) csv = g_string_new(header);
	for (gsize i = 0; i < n; i++) {
		g_autofree char *json = sweep_dir_point_file(g, i, dir, ".json");
		g_autofree char *err_path = sweep_dir_point_file(g, i, dir, ".err");
		g_autofree char *id = sweep_point_id(g, i);
		g_autoptr(JsonParser) parser = json_parser_new();
		g_autoptr(GError) err = NULL;
		JsonNode *stats = NULL;
		const char *status = "ok";
		if (g_file_test(json, G_FILE_TEST_EXISTS)) {
			if (json_parser_load_from_file(parser, json, &err))
				stats = json_parser_get_root(parser);
			else {
				fprintf(stderr, "labyrinth sweep: point %s: %s: %s\n", id, json,
					err->message);
				status = "failed";
			}
		} else {
			g_autofree char *why = first_line(err_path);
			status = *why ? "failed" : "missing";
			if (*why)
				fprintf(stderr, "labyrinth sweep: point %s failed: %s\n", id, why);
			else
				fprintf(stderr, "labyrinth sweep: point %s has not run\n", id);
		}
		not_ok += stats == NULL;
		g_autofree char *row = sweep_csv_row(g, i, status, stats, absent);
		g_string_append(csv, row);
	}
	g_autoptr(GString) empty = g_string_new(NULL);
	for (gsize k = 0; k < n_cols; k++)
		if (absent[k])
			g_string_append_printf(empty, "%s%s", empty->len ? ", " : "",
					       sweep_stat_column(k));
	if (empty->len)
		fprintf(stderr, "labyrinth sweep: note: the runs' JSON lacks what these columns "
				"need, so they are empty: %s\n",
			empty->str);
	g_autofree char *path = g_build_filename(dir, "sweep.csv", NULL);
	if (!sweep_dir_write_file(path, csv->str, error))
		return -1;
	if (not_ok)
		fprintf(stderr, "labyrinth sweep: %zu of %zu points have no results (their "
				"errors are in %s/points/*.err)\n",
			not_ok, n, dir);
	return (gssize)not_ok;
}
