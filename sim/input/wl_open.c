/* wl_open.c - workload files and streams: a WlFile names a file and keeps
 * what validation learned about it; streams open it (decompressing .gz,
 * through wl_gzip.c), seek to where a cursor starts, and stamp it so that a
 * cursor never reads a file that changed after validation.
 */
#include <errno.h>
#include <glib/gstdio.h>

#include "wl_priv.h"

/* clang-format off */
G_DEFINE_QUARK(wl-error-quark, wl_error)
/* clang-format on */

/* "Error opening file x: No such file or directory" -> the part after the
 * last ": ", which is the reason without GIO's own restatement of the path. */
const char *wl_io_reason(const GError *err)
{
	const char *colon = g_strrstr(err->message, ": ");

	return colon && colon[2] ? colon + 2 : err->message;
}

/* The stamp of the file at path, which must be a regular file.  By path,
 * not from an open stream: GIO's stream query reports any file type as
 * regular. */
static gboolean stamp_of(GFile *file, const char *path, FileStamp *stamp, GError **error)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GFileInfo) fi = g_file_query_info(file,
						    G_FILE_ATTRIBUTE_STANDARD_TYPE
						    "," G_FILE_ATTRIBUTE_STANDARD_SIZE
						    "," G_FILE_ATTRIBUTE_TIME_MODIFIED
						    "," G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
						    G_FILE_QUERY_INFO_NONE, NULL, &err);

	if (!fi) {
		g_set_error(error, WL_ERROR, WL_ERROR_OPEN, "%s: cannot open: %s", path,
			    wl_io_reason(err));
		return FALSE;
	}
	/* Validation and the cursors read the file again: a pipe would give
	 * them nothing, and a run from nothing would look like success. */
	/* A link GIO could not follow (a loop, a dangling link) comes back as
	 * the link itself: stat() says why. */
	GStatBuf st;
	if (g_file_info_get_file_type(fi) == G_FILE_TYPE_SYMBOLIC_LINK && g_stat(path, &st) != 0) {
		int e = errno;
		g_set_error(error, WL_ERROR, WL_ERROR_OPEN, "%s: cannot open: %s", path,
			    g_strerror(e));
		return FALSE;
	}
	if (g_file_info_get_file_type(fi) != G_FILE_TYPE_REGULAR) {
		g_set_error(error, WL_ERROR, WL_ERROR_OPEN,
			    "%s: cannot open: not a regular file (a workload is read more than "
			    "once)",
			    path);
		return FALSE;
	}
	stamp->size = (uint64_t)g_file_info_get_size(fi);
	stamp->mtime_us =
		g_file_info_get_attribute_uint64(fi, G_FILE_ATTRIBUTE_TIME_MODIFIED) * 1000000 +
		g_file_info_get_attribute_uint32(fi, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);
	return TRUE;
}

/* Opens path for reading from byte offset (0 for .gz, which cannot seek),
 * decompressing .gz; fills *stamp. */
GInputStream *wl_open_stream(const char *path, gboolean gz, uint64_t offset, FileStamp *stamp,
				 GError **error)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GFile) file = g_file_new_for_path(path);

	/* First, so that a FIFO is refused rather than waited on. */
	if (!stamp_of(file, path, stamp, error))
		return NULL;
	g_autoptr(GFileInputStream) fis = g_file_read(file, NULL, &err);
	if (!fis) {
		g_set_error(error, WL_ERROR, WL_ERROR_OPEN, "%s: cannot open: %s", path,
			    wl_io_reason(err));
		return NULL;
	}
	if (gz) {
		g_assert(offset == 0);
		g_autoptr(GConverter) conv = wl_gunzip_new();
		return g_converter_input_stream_new(G_INPUT_STREAM(fis), conv);
	}
	if (offset && !g_seekable_seek(G_SEEKABLE(fis), (goffset)offset, G_SEEK_SET, NULL, &err)) {
		g_set_error(error, WL_ERROR, WL_ERROR_OPEN, "%s: cannot seek: %s", path,
			    wl_io_reason(err));
		return NULL;
	}
	return G_INPUT_STREAM(g_steal_pointer(&fis));
}

WlFile *wl_open(const char *path, GError **error)
{
	FileStamp stamp;
	g_autoptr(GInputStream) in = wl_open_stream(path, FALSE, 0, &stamp, error);

	if (!in)
		return NULL;
	WlFile *wl = g_new0(WlFile, 1);
	wl->path = g_strdup(path);
	wl->gz = g_str_has_suffix(path, ".gz");
	return wl;
}

void wl_free(WlFile *wl)
{
	if (!wl)
		return;
	g_free(wl->path);
	g_free(wl);
}

const char *wl_path(const WlFile *wl)
{
	return wl->path;
}
