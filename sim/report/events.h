/* events.h - the protocol event trace: one tab-separated line per access
 * and claim the machine performs, with every bus transaction, where the
 * data came from and every state change it caused (format: docs/events.md).
 *
 * The trace is a machine observer, so a run without --events pays nothing
 * for it.  Lines go through a 64 KiB buffer (and zlib for ".gz") into a
 * file with no name yet; the name appears only when events_commit()
 * succeeds, so an interrupted run leaves no half-written trace behind.
 */
#ifndef LABYRINTH_EVENTS_H
#define LABYRINTH_EVENTS_H

#include <glib.h>

#include "engine/engine.h"
#include "input/config.h"
#include "machine/machine.h"

/* The first two lines of every trace; readers check them. */
#define EVENTS_MAGIC "# labyrinth-events 1"
#define EVENTS_HEADER                                                                              \
	"cycle\tcore\top_index\twl_line\top\taccess\taddr\tline\ttxns\tsource\tchanges"
#define EVENTS_N_FIELDS 11

typedef struct EventTrace EventTrace;

/* Creates the trace for path (compressed when it ends in ".gz") and adds
 * it as an observer of m.  where[] is the engine's RunResult.where, read
 * at every event.  workload and cfg go into the first line.  FALSE-like
 * NULL with a G_FILE_ERROR when the file cannot be created. */
EventTrace *events_new(const char *path, Machine *m, const CoreWhere *where, const char *workload,
		       const Config *cfg, GError **error);
/* After the last access: flushes, and gives the file its name.  Frees t
 * either way; on failure nothing is left at path. */
gboolean events_commit(EventTrace *t, GError **error);
/* After the last access: throws the trace away.  Frees t. */
void events_abandon(EventTrace *t);
/* Events written so far. */
uint64_t events_count(const EventTrace *t);

#endif
