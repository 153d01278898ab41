/* outfile.h - writing a whole output file the way cli.md asks: whole or
 * not at all.  A regular file (new or replaced) is written to a temporary
 * beside it and renamed; "-" is stdout; a device or a FIFO (/dev/null, a
 * pipe) is written directly, since renaming over it would replace it with
 * a regular file; a symbolic link keeps pointing where it did. */
#ifndef LABYRINTH_OUTFILE_H
#define LABYRINTH_OUTFILE_H

#include <glib.h>

gboolean outfile_write_all(const char *path, const void *data, gsize len, GError **error);

#endif
