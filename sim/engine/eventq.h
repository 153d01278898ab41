/* eventq.h - the discrete-event queue: events ordered by (cycle, phase,
 * sequence number).  The sequence number is assigned at insertion, so two
 * events of the same cycle and phase run in the order they were scheduled,
 * the same way every run.  Phases let a cycle's core events all run before
 * that cycle's bus arbitration, whoever scheduled what first.
 *
 * A binary heap: O(log n) insert and pop; n is about the number of cores. */
#ifndef LABYRINTH_EVENTQ_H
#define LABYRINTH_EVENTQ_H

#include <stdint.h>

typedef struct {
	uint64_t cycle;
	uint64_t seq;   /* assigned by eventq_push */
	uint8_t phase;  /* lower runs first within a cycle */
	uint8_t type;   /* the engine's event kind */
	uint16_t core;
} Event;

typedef struct EventQueue EventQueue;

EventQueue *eventq_new(void);
void eventq_free(EventQueue *q);
void eventq_push(EventQueue *q, uint64_t cycle, uint8_t phase, uint8_t type, uint16_t core);
/* Removes the earliest event into *ev; 0 if the queue is empty. */
int eventq_pop(EventQueue *q, Event *ev);
unsigned eventq_size(const EventQueue *q);

#endif
