/* testutil.h - helpers shared by the unit tests: temporary workload files
 * written from a string, so each test states its input inline. */
#ifndef LABYRINTH_TESTUTIL_H
#define LABYRINTH_TESTUTIL_H

#include <glib.h>

/* Writes text to a new temporary file whose name ends in suffix (".wl",
 * ".ini", ...); returns its path (g_free it; the file is removed at exit). */
char *tu_write_temp(const char *text, const char *suffix);
/* The same, gzip-compressed (suffix should end in ".gz"). */
char *tu_write_temp_gz(const char *text, const char *suffix);

#endif
