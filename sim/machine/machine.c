/* machine.c - building the machine from a configuration, and reading its
 * counters and contents.  The coherence controller is in coherence.c. */
#include <glib.h>
#include <string.h>

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
	/* With a few caches, asking each is as cheap as asking a filter. */
	if (n_cores >= 8 && n_cores <= SF_MAX_CORES)
		m->sf = sf_new((uint64_t)n_cores * cache_n_slots(m->caches[0]),
			       (unsigned)__builtin_ctz(cfg->line));
	m->cstats = g_new0(CacheStats, n_cores);
	m->astats = g_new0(CoreAccessStats, n_cores);
	m->trans_counts = g_new0(uint64_t, (gsize)proto->n_states * PROTO_N_EVENTS);
	/* Each of a row's bus transactions may change every other cache once,
	 * plus the requester and a victim. */
	m->out.changes = g_new0(StateChange, PROTO_MAX_ACTIONS * n_cores + 2);
	m->ctx = CTX_USER;
	return m;
}

void machine_debug_no_snoop_filter(Machine *m)
{
	sf_free(m->sf);
	m->sf = NULL;
}

void machine_free(Machine *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < m->n_cores; i++)
		cache_free(m->caches[i]);
	g_free(m->caches);
	mem_free(m->mem);
	sf_free(m->sf);
	g_free(m->cstats);
	g_free(m->astats);
	g_free(m->trans_counts);
	g_free(m->out.changes);
	g_free(m->observers);
	g_free(m->proto_error);
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
	if (m->n_observers == m->observers_cap) {
		m->observers_cap = m->observers_cap ? 2 * m->observers_cap : 4;
		m->observers = g_renew(struct MachineObserverSlot, m->observers, m->observers_cap);
	}
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

void machine_export_line(const Machine *m, uint64_t line_addr, uint8_t *states, uint64_t *words,
			 uint64_t *mem)
{
	g_assert((line_addr & ~m->line_mask) == 0);
	for (unsigned i = 0; i < m->n_cores; i++) {
		Cache *c = m->caches[i];
		int slot = cache_lookup(c, line_addr);
		uint64_t *dst = &words[(gsize)i * m->line_words];
		states[i] = slot < 0 ? 0 : cache_state(c, slot);
		if (slot < 0)
			memset(dst, 0, m->line_words * 8);
		else
			memcpy(dst, cache_data(c, slot), m->line_words * 8);
	}
	mem_read_line(m->mem, line_addr, mem, m->line_words);
}

void machine_import_line(Machine *m, uint64_t line_addr, const uint8_t *states,
			 const uint64_t *words, const uint64_t *mem)
{
	g_assert((line_addr & ~m->line_mask) == 0);
	for (unsigned i = 0; i < m->n_cores; i++) {
		Cache *c = m->caches[i];
		int slot = cache_lookup(c, line_addr);
		g_assert(states[i] < m->proto->n_states);
		if (states[i] == 0) {
			if (slot >= 0) {
				cache_set_state(c, slot, 0);
				if (m->sf)
					sf_remove(m->sf, line_addr, i);
			}
			continue;
		}
		if (slot < 0) {
			slot = cache_victim(c, line_addr);
			g_assert(cache_state(c, slot) == 0); /* the caller left room */
			cache_set_tag(c, slot, line_addr);
			if (m->sf)
				sf_add(m->sf, line_addr, i);
		}
		cache_set_state(c, slot, states[i]);
		memcpy(cache_data(c, slot), &words[(gsize)i * m->line_words], m->line_words * 8);
	}
	mem_write_line(m->mem, line_addr, mem, m->line_words);
}

void machine_set_record_errors(Machine *m, int on)
{
	m->record_errors = on;
}

const char *machine_protocol_error(const Machine *m)
{
	return m->proto_error;
}

void machine_clear_protocol_error(Machine *m)
{
	g_clear_pointer(&m->proto_error, g_free);
}
