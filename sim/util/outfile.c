/* outfile.c - whole-or-nothing output files; see outfile.h. */
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outfile.h"

static gboolean write_fd(int fd, const char *path, const char *data, gsize len, GError **error)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e),
				    "cannot write %s: %s", path, g_strerror(e));
			return FALSE;
		}
		data += n;
		len -= (gsize)n;
	}
	return TRUE;
}

gboolean outfile_write_all(const char *path, const void *data, gsize len, GError **error)
{
	if (strcmp(path, "-") == 0) {
		fflush(stdout);
		return write_fd(STDOUT_FILENO, "stdout", data, len, error);
	}
	g_autofree char *real = realpath(path, NULL);
	const char *target = real ? real : path;
	GStatBuf st;
	if (g_stat(target, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode)) {
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
				    "cannot write %s: it is a directory", path);
			return FALSE;
		}
		int fd = g_open(target, O_WRONLY | O_CLOEXEC, 0);
		if (fd < 0) {
			int e = errno;
			g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e),
				    "cannot open %s: %s", path, g_strerror(e));
			return FALSE;
		}
		gboolean ok = write_fd(fd, path, data, len, error);
		close(fd);
		return ok;
	}
	/* g_file_set_contents writes a temporary beside target and renames it. */
	g_autoptr(GError) err = NULL;
	if (!g_file_set_contents(target, data, (gssize)len, &err)) {
		g_set_error(error, G_FILE_ERROR, err->code, "%s", err->message);
		return FALSE;
	}
	return TRUE;
}
