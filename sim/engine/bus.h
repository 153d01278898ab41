/* bus.h - the shared snooping bus, one interconnect of interconnect.h:
 * who gets it next and how long each transaction holds it.  What a
 * transaction does to the caches is the coherence controller's business
 * (machine.h); the bus arbitrates, has the winner's access performed at
 * the grant, and charges cycles.
 *
 * The bus is atomic: one transaction (or the short sequence one access
 * needs, e.g. a victim's Flush then a BusRd) holds it from grant to end.
 * Arbitration is FIFO by request cycle with ties to the lower core id, or
 * round-robin from the last winner ([bus] arbitration). */
#ifndef LABYRINTH_BUS_H
#define LABYRINTH_BUS_H

#include "interconnect.h"

Interconnect *bus_new(const Config *cfg, unsigned n_cores, const InterconnectHost *host);

#endif
