/* fuzz_config.c - libFuzzer harness for the configuration reader
 * (sim/input/config.c).
 *
 * Each input is read twice: as a key file (config_load_file) and as lines
 * of --set assignments (config_set, one per line).  Whatever loads and
 * passes config_validate() must round-trip: config_dump() of it loads back
 * into a fresh configuration, validates, and dumps to the same text; and
 * config_value_string() answers for every key.  Beyond sanitizer reports,
 * a broken round trip aborts, which libFuzzer reports.
 *
 * Built by `make fuzz` (clang -fsanitize=fuzzer); see docs/verification.md.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/config.h"
#include "kernel/layout.h"

static char *dir;

static void fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_config: %s\n%s\n", what, detail ? detail : "");
	abort();
}

/* cfg loaded and validated: its dump must load back to the same dump. */
static void round_trip(const Config *cfg)
{
	for (int i = 0; i < config_n_keys(); i++) {
		const ConfigKeyInfo *k = config_key(i);
		g_free(config_value_string(cfg, k->group, k->key));
	}
	g_autofree char *dump = config_dump(cfg);
	g_autofree char *path = g_build_filename(dir, "dump.ini", NULL);
	if (!g_file_set_contents(path, dump, -1, NULL))
		fail("cannot write the dump", NULL);
	Config again;
	config_init(&again);
	g_autoptr(GError) err = NULL;
	if (!config_load_file(&again, path, &err) || !config_validate(&again, &err) ||
	    !kernel_config_check(&again, &err))
		fail(err->message, dump);
	g_autofree char *dump2 = config_dump(&again);
	if (strcmp(dump, dump2) != 0)
		fail("the dump does not load back to itself", dump);
	config_clear(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir)
		dir = g_dir_make_tmp("fuzz-cfg-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "input.ini", NULL);
	if (!g_file_set_contents(path, (const char *)data, (gssize)size, NULL))
		fail("cannot write the input", NULL);

	Config cfg;
	config_init(&cfg);
	if (config_load_file(&cfg, path, NULL) && config_validate(&cfg, NULL) && kernel_config_check(&cfg, NULL))
		round_trip(&cfg);
	config_clear(&cfg);

	/* The same bytes as --set assignments, one per line. */
	g_autofree char *text = g_strndup((const char *)data, size);
	g_auto(GStrv) lines = g_strsplit(text, "\n", 64);
	config_init(&cfg);
	gboolean all = TRUE;
	for (char **l = lines; *l; l++)
		all &= config_set(&cfg, *l, NULL);
	if (all && config_validate(&cfg, NULL) && kernel_config_check(&cfg, NULL))
		round_trip(&cfg);
	config_clear(&cfg);
	g_unlink(path);
	return 0;
}
