/* bus.c - bus arbitration and transaction timing; see bus.h.
 *
 * Transaction costs, in cycles, from the [bus] and [memory] settings:
 *   every transaction        snoop_latency (address and snoop phase)
 *   BusRd/BusRdX, memory     + memory latency + line / min(width, bandwidth)
 *   BusRd/BusRdX, a cache    + c2c_latency + line / width
 *   BusUpd                   + 1 (one word)
 *   Flush (write-back)       + line / min(width, bandwidth)
 *   BusUpgr, BusInv          nothing more: no data moves
 * Divisions round up.  A downgrade's memory write (M -> S) overlaps the
 * cache-to-cache transfer and costs nothing extra.  docs/timing.md has
 * worked examples.
 *
 * Pending requests are kept per core (one each), so picking a winner is
 * O(cores): simpler than a priority queue and cheap for the 1..64 cores
 * the simulator is used with.
 */
#include <glib.h>

#include "bus.h"

struct Bus {
	unsigned n_cores;
	uint64_t snoop, c2c, mem_latency;
	uint64_t mem_data, c2c_data; /* cycles to move a line from memory / a cache */
	BusArbitration arbitration;
	uint8_t *pending;          /* [core] has a request */
	uint64_t *request_cycle;   /* [core] */
	unsigned n_pending;
	unsigned last_winner;
	uint64_t free_at;
	uint64_t busy;
	Histogram *queue_delay;
};

static uint64_t div_up(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

Bus *bus_new(const Config *cfg, unsigned n_cores)
{
	Bus *bus = g_new0(Bus, 1);
	bus->n_cores = n_cores;
	bus->snoop = cfg->snoop_latency;
	bus->c2c = cfg->c2c_latency;
	bus->mem_latency = cfg->mem_latency;
	unsigned mem_rate = MIN(cfg->bus_width, cfg->mem_bandwidth);
	bus->mem_data = div_up(cfg->line, mem_rate);
	bus->c2c_data = div_up(cfg->line, cfg->bus_width);
	bus->arbitration = cfg->arbitration;
	bus->pending = g_new0(uint8_t, n_cores);
	bus->request_cycle = g_new0(uint64_t, n_cores);
	bus->last_winner = n_cores - 1;
	bus->queue_delay = hist_new();
	return bus;
}

void bus_free(Bus *bus)
{
	if (!bus)
		return;
	g_free(bus->pending);
	g_free(bus->request_cycle);
	hist_free(bus->queue_delay);
	g_free(bus);
}

void bus_request(Bus *bus, unsigned core, uint64_t cycle)
{
	g_assert(core < bus->n_cores && !bus->pending[core]);
	bus->pending[core] = 1;
	bus->request_cycle[core] = cycle;
	bus->n_pending++;
}

int bus_has_requests(const Bus *bus)
{
	return bus->n_pending > 0;
}

int bus_grant(Bus *bus, uint64_t now)
{
	int winner = -1;
	for (unsigned i = 0; i < bus->n_cores; i++) {
		/* Round-robin starts looking just after the last winner. */
		unsigned c = bus->arbitration == ARB_ROUND_ROBIN ? (bus->last_winner + 1 + i) % bus->n_cores
								 : i;
		if (!bus->pending[c] || bus->request_cycle[c] > now)
			continue;
		if (bus->arbitration == ARB_ROUND_ROBIN) {
			winner = (int)c;
			break;
		}
		if (winner < 0 || bus->request_cycle[c] < bus->request_cycle[winner])
			winner = (int)c;
	}
	if (winner < 0)
		return -1;
	bus->pending[winner] = 0;
	bus->n_pending--;
	bus->last_winner = (unsigned)winner;
	hist_add(bus->queue_delay, now - bus->request_cycle[winner]);
	return winner;
}

uint64_t bus_occupy(Bus *bus, const AccessOutcome *out, uint64_t now)
{
	uint64_t cycles = 0;
	for (int i = 0; i < out->n_txns; i++) {
		cycles += bus->snoop;
		switch (out->txns[i]) {
		case BUS_RD:
		case BUS_RDX:
			cycles += out->source == SRC_CACHE ? bus->c2c + bus->c2c_data
							   : bus->mem_latency + bus->mem_data;
			break;
		case BUS_UPD:
			cycles += 1;
			break;
		case BUS_FLUSH:
			cycles += bus->mem_data;
			break;
		case BUS_UPGR:
		case BUS_INV:
		case BUS_N_TXNS:
			break;
		}
	}
	g_assert(now >= bus->free_at);
	bus->free_at = now + cycles;
	bus->busy += cycles;
	return cycles;
}

uint64_t bus_free_at(const Bus *bus)
{
	return bus->free_at;
}

uint64_t bus_busy_cycles(const Bus *bus)
{
	return bus->busy;
}

const Histogram *bus_queue_delay(const Bus *bus)
{
	return bus->queue_delay;
}
