/* json_subset.c - test helper: `json_subset EXPECTED ACTUAL` exits 0 when
 * every member of EXPECTED is in ACTUAL with an equal value (recursively;
 * arrays element by element and of equal length), ignoring the fields the
 * conformance suite leaves out of the contract: "labyrinth_version",
 * "cycles" and every "*_cycles".  Differences are printed as JSON paths. */
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

static int ignored(const char *key)
{
	size_t n = strlen(key);
	return strcmp(key, "labyrinth_version") == 0 || strcmp(key, "cycles") == 0 ||
	       (n > 7 && strcmp(key + n - 7, "_cycles") == 0);
}

static int compare(JsonNode *exp, JsonNode *act, const char *path)
{
	if (!act) {
		printf("%s: missing\n", path);
		return 1;
	}
	if (JSON_NODE_TYPE(exp) != JSON_NODE_TYPE(act)) {
		printf("%s: type differs\n", path);
		return 1;
	}
	int bad = 0;
	switch (JSON_NODE_TYPE(exp)) {
	case JSON_NODE_OBJECT: {
		JsonObject *eo = json_node_get_object(exp), *ao = json_node_get_object(act);
		GList *members = json_object_get_members(eo);
		for (GList *l = members; l; l = l->next) {
			const char *k = l->data;
			if (ignored(k))
				continue;
			char *sub = g_strdup_printf("%s.%s", path, k);
			bad += compare(json_object_get_member(eo, k),
				       json_object_has_member(ao, k) ? json_object_get_member(ao, k) : NULL,
				       sub);
			g_free(sub);
		}
		g_list_free(members);
		break;
	}
	case JSON_NODE_ARRAY: {
		JsonArray *ea = json_node_get_array(exp), *aa = json_node_get_array(act);
		guint n = json_array_get_length(ea);
		if (n != json_array_get_length(aa)) {
			printf("%s: %u elements expected, %u found\n", path, n, json_array_get_length(aa));
			return 1;
		}
		for (guint i = 0; i < n; i++) {
			char *sub = g_strdup_printf("%s[%u]", path, i);
			bad += compare(json_array_get_element(ea, i), json_array_get_element(aa, i), sub);
			g_free(sub);
		}
		break;
	}
	case JSON_NODE_VALUE:
		if (!json_node_equal(exp, act)) {
			char *e = json_to_string(exp, FALSE), *a = json_to_string(act, FALSE);
			printf("%s: expected %s, found %s\n", path, e, a);
			g_free(e);
			g_free(a);
			bad = 1;
		}
		break;
	case JSON_NODE_NULL:
		break;
	}
	return bad;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: json_subset EXPECTED.json ACTUAL.json\n");
		return 2;
	}
	JsonParser *pe = json_parser_new(), *pa = json_parser_new();
	GError *err = NULL;
	if (!json_parser_load_from_file(pe, argv[1], &err) ||
	    !json_parser_load_from_file(pa, argv[2], &err)) {
		fprintf(stderr, "json_subset: %s\n", err->message);
		return 2;
	}
	int bad = compare(json_parser_get_root(pe), json_parser_get_root(pa), "$");
	g_object_unref(pe);
	g_object_unref(pa);
	return bad ? 1 : 0;
}
