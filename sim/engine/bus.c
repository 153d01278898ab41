/* bus.c - the snooping bus as an interconnect: arbitration, the access
 * performed atomically at the grant, and transaction timing; see bus.h.
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
#include "util/histogram.h"

typedef struct Bus {
	Interconnect ic; /* first: the engine sees a Bus as an Interconnect */
	InterconnectHost host;
	uint64_t arb_at;  /* cycle of the pending arbitration event, or UINT64_MAX */
	uint64_t *issued; /* [core] when the core issued the operation it requests for */
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
} Bus;

static uint64_t div_up(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

static const InterconnectOps bus_ops;

Interconnect *bus_new(const Config *cfg, unsigned n_cores, const InterconnectHost *host)
{
	Bus *bus = g_new0(Bus, 1);
	bus->ic.ops = &bus_ops;
	bus->host = *host;
	bus->arb_at = UINT64_MAX;
	bus->issued = g_new0(uint64_t, n_cores);
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
	return &bus->ic;
}

static void bus_free(Interconnect *ic)
{
	Bus *bus = (Bus *)ic;
	g_free(bus->issued);
	g_free(bus->pending);
	g_free(bus->request_cycle);
	hist_free(bus->queue_delay);
	g_free(bus);
}

static void bus_request(Bus *bus, unsigned core, uint64_t cycle)
{
	g_assert(core < bus->n_cores && !bus->pending[core]);
	bus->pending[core] = 1;
	bus->request_cycle[core] = cycle;
	bus->n_pending++;
}

static int bus_has_requests(const Bus *bus)
{
	return bus->n_pending > 0;
}

static int bus_grant(Bus *bus, uint64_t now)
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

static uint64_t bus_occupy(Bus *bus, const AccessOutcome *out, uint64_t now)
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


/* An arbitration at cycle (no earlier than the bus is free), unless one
 * is already due by then. */
static void schedule_arbitration(Bus *bus, uint64_t cycle)
{
	if (cycle < bus->free_at)
		cycle = bus->free_at;
	if (bus->arb_at != UINT64_MAX && bus->arb_at <= cycle)
		return;
	bus->arb_at = cycle;
	eventq_push(bus->host.q, cycle, INTERCONNECT_PHASE, INTERCONNECT_EVENT, 0);
}

static void request(Interconnect *ic, unsigned core, uint64_t issued, uint64_t at)
{
	Bus *bus = (Bus *)ic;
	bus->issued[core] = issued;
	bus_request(bus, core, at);
	schedule_arbitration(bus, at);
}

/* The arbiter at cycle now: grant the bus, run the access, hold the bus. */
static void arbitrate(Bus *bus, uint64_t now)
{
	const InterconnectHost *h = &bus->host;
	bus->arb_at = UINT64_MAX;
	int c = bus_grant(bus, now);
	if (c >= 0) {
		h->perform(h->host, (unsigned)c, now);
		const AccessOutcome *out = machine_last_outcome(h->m);
		uint64_t done = now + bus_occupy(bus, out, now);
		if (h->probe)
			h->probe->bus_busy(h->probe->data, now, done);
		if (out->source != SRC_NONE)
			hist_add(out->source == SRC_CACHE ? h->ts->miss_latency_c2c
							  : h->ts->miss_latency_mem,
				 done - bus->issued[c]);
		h->complete(h->host, (unsigned)c, done);
	}
	if (bus_has_requests(bus))
		schedule_arbitration(bus, c >= 0 ? bus->free_at : now + 1);
}

static void fire(Interconnect *ic, const Event *ev)
{
	Bus *bus = (Bus *)ic;
	/* A later arbitration replaced this one. */
	if (ev->cycle == bus->arb_at)
		arbitrate(bus, ev->cycle);
}

static void finish(Interconnect *ic)
{
	Bus *bus = (Bus *)ic;
	TimingStats *ts = bus->host.ts;
	ts->bus_busy_cycles = bus->busy;
	hist_free(ts->bus_queue_delay);
	ts->bus_queue_delay = hist_copy(bus->queue_delay);
}

static const InterconnectOps bus_ops = {
	.name = "bus",
	.request = request,
	.fire = fire,
	.finish = finish,
	.free = bus_free,
};
