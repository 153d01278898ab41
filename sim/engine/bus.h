/* bus.h - the timing of the shared snooping bus: who gets it next and how
 * long each transaction holds it.  What a transaction does to the caches
 * is the coherence controller's business (machine.h); this module only
 * arbitrates and charges cycles.
 *
 * The bus is atomic: one transaction (or the short sequence one access
 * needs, e.g. a victim's Flush then a BusRd) holds it from grant to end.
 * Arbitration is FIFO by request cycle with ties to the lower core id, or
 * round-robin from the last winner ([bus] arbitration). */
#ifndef LABYRINTH_BUS_H
#define LABYRINTH_BUS_H

#include <stdint.h>

#include "input/config.h"
#include "machine/machine.h"
#include "util/histogram.h"

typedef struct Bus Bus;

Bus *bus_new(const Config *cfg, unsigned n_cores);
void bus_free(Bus *bus);

/* core asks for the bus at cycle (at most one request per core). */
void bus_request(Bus *bus, unsigned core, uint64_t cycle);
int bus_has_requests(const Bus *bus);
/* Grants the bus at cycle now to the winner among requests made at or
 * before now; returns its core, or -1 if none.  Records its queueing delay. */
int bus_grant(Bus *bus, uint64_t now);
/* Cycles the bus is held for what an access's outcome did on it (0 if it
 * used no transaction), and marks it busy for that long. */
uint64_t bus_occupy(Bus *bus, const AccessOutcome *out, uint64_t now);
uint64_t bus_free_at(const Bus *bus); /* first cycle the bus is free */

uint64_t bus_busy_cycles(const Bus *bus);
const Histogram *bus_queue_delay(const Bus *bus);

#endif
