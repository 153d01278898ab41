/* machine.c - building the machine from a configuration, and reading its
 * counters and contents.  The coherence controller is in coherence.c. */
#include <glib.h>

#include "machine_priv.h"

Machine *machine_new(const Config *cfg, const Protocol *proto, unsigned n_cores)
{
	g_assert(n_cores >= 1);
	Machine *m = g_new0(Machine, 1);
	m->proto = proto;
	m->n_cores = n_cores;
	m->line = cfg->line;
	m->line_words = cfg->line / 8;
	m->line_mask = ~(uint64_t)(cfg->line - 1);
	m->caches = g_new0(Cache *, n_cores);
	for (unsigned i = 0; i < n_cores; i++)
		m->caches[i] = cache_new(cfg->cache_size, cfg->assoc, cfg->line);
	m->mem = mem_new(cfg->mem_size);
	m->cstats = g_new0(CacheStats, n_cores);
	m->astats = g_new0(CoreAccessStats, n_cores);
	m->trans_counts = g_new0(uint64_t, (gsize)proto->n_states * PROTO_N_EVENTS);
	m->out.changes = g_new0(StateChange, n_cores + 2);
	m->ctx = CTX_USER;
	return m;
}

void machine_free(Machine *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < m->n_cores; i++)
		cache_free(m->caches[i]);
	g_free(m->caches);
	mem_free(m->mem);
	g_free(m->cstats);
	g_free(m->astats);
	g_free(m->trans_counts);
	g_free(m->out.changes);
	g_free(m);
}

unsigned machine_n_cores(const Machine *m)
{
	return m->n_cores;
}

const Protocol *machine_protocol(const Machine *m)
{
	return m->proto;
}

Memory *machine_memory(Machine *m)
{
	return m->mem;
}

unsigned machine_line_size(const Machine *m)
{
	return m->line;
}

void machine_set_context(Machine *m, AccessContext ctx)
{
	m->ctx = ctx;
}

AccessContext machine_context(const Machine *m)
{
	return m->ctx;
}

void machine_add_observer(Machine *m, MachineObserver fn, void *data)
{
	g_assert(m->n_observers < G_N_ELEMENTS(m->observers));
	m->observers[m->n_observers].fn = fn;
	m->observers[m->n_observers].data = data;
	m->n_observers++;
}

const AccessOutcome *machine_last_outcome(const Machine *m)
{
	return &m->out;
}

const CacheStats *machine_cache_stats(const Machine *m, unsigned core)
{
	g_assert(core < m->n_cores);
	return &m->cstats[core];
}

const CoreAccessStats *machine_core_access_stats(const Machine *m, unsigned core)
{
	g_assert(core < m->n_cores);
	return &m->astats[core];
}

const BusStats *machine_bus_stats(const Machine *m)
{
	return &m->bus;
}

const MemStats *machine_mem_stats(const Machine *m)
{
	return &m->memstats;
}

uint64_t machine_invalidations_in(const Machine *m, AccessContext ctx)
{
	return m->inv_by_ctx[ctx];
}

uint64_t machine_c2c_in(const Machine *m, AccessContext ctx)
{
	return m->c2c_by_ctx[ctx];
}

uint64_t machine_txns_in(const Machine *m, AccessContext ctx)
{
	return m->txns_by_ctx[ctx];
}

const uint64_t *machine_transition_counts(const Machine *m)
{
	return m->trans_counts;
}

int machine_line_state(const Machine *m, unsigned core, uint64_t line_addr)
{
	const Cache *c = m->caches[core];
	int slot = cache_lookup(c, line_addr & m->line_mask);
	return slot < 0 ? 0 : cache_state(c, slot);
}

int machine_peek_cached(const Machine *m, unsigned core, uint64_t addr, uint64_t *value)
{
	Cache *c = m->caches[core];
	int slot = cache_lookup(c, addr & m->line_mask);
	if (slot < 0)
		return 0;
	*value = cache_data(c, slot)[(addr & ~m->line_mask) >> 3];
	return 1;
}

uint64_t machine_peek_word(const Machine *m, uint64_t addr)
{
	uint64_t v, any = 0;
	int found = 0;
	for (unsigned i = 0; i < m->n_cores; i++) {
		int st = machine_line_state(m, i, addr);
		if (st && (m->proto->state_flags[st] & PROTO_ST_OWNER)) {
			machine_peek_cached(m, i, addr, &v);
			return v;
		}
		if (st && !found) {
			machine_peek_cached(m, i, addr, &any);
			found = 1;
		}
	}
	return found ? any : mem_read_word(m->mem, addr);
}
