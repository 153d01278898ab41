/* testutil.c - temporary files for tests; see testutil.h. */
#include <gio/gio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "testutil.h"

static GPtrArray *temp_paths;

static void remove_temps(void)
{
	for (guint i = 0; temp_paths && i < temp_paths->len; i++)
		unlink(g_ptr_array_index(temp_paths, i));
}

static char *new_temp_path(const char *suffix)
{
	char *tmpl = g_strdup_printf("labyrinth-test-XXXXXX%s", suffix);
	char *path = NULL;
	GError *err = NULL;
	int fd = g_file_open_tmp(tmpl, &path, &err);
	g_assert_no_error(err);
	close(fd);
	g_free(tmpl);
	if (!temp_paths) {
		temp_paths = g_ptr_array_new_with_free_func(g_free);
		atexit(remove_temps);
	}
	g_ptr_array_add(temp_paths, g_strdup(path));
	return path;
}

char *tu_write_temp(const char *text, const char *suffix)
{
	char *path = new_temp_path(suffix);
	GError *err = NULL;
	g_file_set_contents(path, text, -1, &err);
	g_assert_no_error(err);
	return path;
}

char *tu_write_temp_gz(const char *text, const char *suffix)
{
	char *path = new_temp_path(suffix);
	GError *err = NULL;
	g_autoptr(GFile) file = g_file_new_for_path(path);
	g_autoptr(GFileOutputStream) fos =
		g_file_replace(file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &err);
	g_assert_no_error(err);
	g_autoptr(GZlibCompressor) z = g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
	g_autoptr(GOutputStream) out =
		g_converter_output_stream_new(G_OUTPUT_STREAM(fos), G_CONVERTER(z));
	gsize written;
	g_output_stream_write_all(out, text, strlen(text), &written, NULL, &err);
	g_assert_no_error(err);
	g_output_stream_close(out, NULL, &err);
	g_assert_no_error(err);
	return path;
}
