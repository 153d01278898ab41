/* progress.h - a progress line on stderr for long runs, only when stderr
 * is a terminal and the work has taken more than a second. */
#ifndef LABYRINTH_PROGRESS_H
#define LABYRINTH_PROGRESS_H

#include <stdint.h>

typedef struct Progress Progress;

/* total: the amount of work (0 if unknown); what: "operations". */
Progress *progress_new(const char *what, uint64_t total);
/* Cheap enough to call every few thousand units of work. */
void progress_update(Progress *p, uint64_t done);
/* Erases the line; NULL is allowed. */
void progress_free(Progress *p);

#endif
