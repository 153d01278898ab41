/* interconnect.h - what connects the caches, as the timing engine sees it.
 *
 * The timing engine (timing.c) keeps the cores, their clock and the event
 * queue; an interconnect decides when a core's operation that left its
 * cache is performed and when it completes.  The snooping bus (bus.c) is
 * one implementation: it arbitrates, performs the whole access atomically
 * at the grant and holds the bus for what the transactions cost.  A
 * network for directory protocols is another: it can perform an access
 * over many events (requests, forwards, acks) and complete it later.
 *
 * The engine offers the interconnect an InterconnectHost: the shared event
 * queue and two callbacks.  The interconnect puts its own events on the
 * queue in phase INTERCONNECT_PHASE with type INTERCONNECT_EVENT, and the
 * engine hands every such event back to ops->fire().  Neither side knows
 * the other's inside: adding an interconnect touches neither the core
 * model nor the protocol interpreter.
 */
#ifndef LABYRINTH_INTERCONNECT_H
#define LABYRINTH_INTERCONNECT_H

#include <stdint.h>

#include "engine.h"
#include "eventq.h"
#include "input/config.h"
#include "machine/machine.h"

/* The engine's core events run first in a cycle, then the interconnect's,
 * so every request of a cycle is in before an arbiter chooses. */
enum { CORE_PHASE = 0, INTERCONNECT_PHASE = 1 };
enum { CORE_EVENT = 0, INTERCONNECT_EVENT = 1 };

typedef struct {
	Machine *m;
	EventQueue *q;
	/* Performs core's pending operation on the machine at cycle now;
	 * machine_last_outcome() then tells what it did. */
	void (*perform)(void *host, unsigned core, uint64_t now);
	/* core's operation is complete at cycle done: the core goes on then. */
	void (*complete)(void *host, unsigned core, uint64_t done);
	void *host;
	TimingStats *ts;          /* where the interconnect's statistics go */
	const TimingProbe *probe; /* NULL, or who hears when it is busy */
} InterconnectHost;

typedef struct Interconnect Interconnect;

typedef struct {
	const char *name;
	/* core's operation, issued at cycle issued, needs the interconnect
	 * from cycle at (after its cache's tag check). */
	void (*request)(Interconnect *ic, unsigned core, uint64_t issued, uint64_t at);
	/* One of the interconnect's own events. */
	void (*fire)(Interconnect *ic, const Event *ev);
	/* The run is over: final statistics into host->ts. */
	void (*finish)(Interconnect *ic);
	void (*free)(Interconnect *ic);
} InterconnectOps;

/* Every implementation starts with this. */
struct Interconnect {
	const InterconnectOps *ops;
};

/* The interconnect the configuration asks for. */
Interconnect *interconnect_new(const Config *cfg, unsigned n_cores, const InterconnectHost *host);

static inline void interconnect_free(Interconnect *ic)
{
	if (ic)
		ic->ops->free(ic);
}

#endif
