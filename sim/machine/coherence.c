/* coherence.c - the generic cache controller: one access, top to bottom.
 *
 * lookup -> (hit without bus: done) -> maybe evict -> run the protocol row,
 * issuing bus transactions that every other cache snoops through its own
 * rows -> the data operation.  Nothing here knows which protocol runs; the
 * table says what to do, and a (state, event) pair the table lacks stops
 * the run as an internal error.
 *
 * The bus is atomic (protocols.md): a transaction's snoops, data transfer
 * and memory traffic complete before the next transaction starts.  Counting
 * follows the spec's counting rules; each rule's place is commented.
 */
#include <glib.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "machine_priv.h"

/* A store waiting to be applied to the requester's copy: Dragon's BusUpd
 * must carry the new word, so the store happens when the update is issued
 * (after a BusRd brought the line in), or at the end of the row. */
typedef struct {
	AccessKind kind;
	unsigned word; /* index of the word in the line */
	uint64_t a, b;
	int done;
	uint64_t old; /* the word before the store */
} PendingStore;

static const ProtoEvent snoop_event[BUS_N_TXNS] = {
	[BUS_RD] = PROTO_EV_OTHER_RD,
	[BUS_RDX] = PROTO_EV_OTHER_RDX,
	[BUS_UPGR] = PROTO_EV_OTHER_UPGR,
	[BUS_UPD] = PROTO_EV_OTHER_UPD,
	[BUS_INV] = PROTO_EV_OTHER_INV,
};

/* A table broke the controller's contract: an internal error that aborts,
 * unless the machine records it for a verifier (machine_set_record_errors),
 * which then reports it as a counterexample.  Only the first is kept. */
static void G_GNUC_PRINTF(2, 3) protocol_error(Machine *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (!m->record_errors)
		g_error("%s", msg);
	if (m->proto_error)
		g_free(msg);
	else
		m->proto_error = msg;
}

static const ProtoTransition *missing_row(Machine *m, int state, ProtoEvent ev, unsigned cache)
{
	protocol_error(m,
		       "protocol %s has no transition for state %s on %s (cache %u): "
		       "the table says this cannot happen",
		       m->proto->name, m->proto->state_names[state], proto_event_name(ev), cache);
	/* Recording: go on as if the row changed nothing, except that an
	 * Evict must still free the slot for the fill. */
	uint8_t next = ev == PROTO_EV_EVICT ? 0 : (uint8_t)state;
	m->fallback = (ProtoTransition){ 1, next, next, { PROTO_ACT_NONE } };
	return &m->fallback;
}

static inline const ProtoTransition *row_for(Machine *m, int state, ProtoEvent ev, unsigned cache)
{
	const ProtoTransition *row = proto_row(m->proto, state, ev);
	if (G_UNLIKELY(!row->defined))
		return missing_row(m, state, ev, cache);
	m->trans_counts[state * PROTO_N_EVENTS + ev]++;
	return row;
}

static inline void set_state(Machine *m, unsigned core, int slot, uint8_t to)
{
	Cache *c = m->caches[core];
	uint8_t from = cache_state(c, slot);
	if (from == to)
		return;
	cache_set_state(c, slot, to);
	if (m->sf && (from == 0 || to == 0)) {
		if (from == 0)
			sf_add(m->sf, cache_tag(c, slot), core);
		else
			sf_remove(m->sf, cache_tag(c, slot), core);
	}
	g_assert((unsigned)m->out.n_changes < PROTO_MAX_ACTIONS * m->n_cores + 2);
	m->out.changes[m->out.n_changes++] = (StateChange){ (uint16_t)core, from, to };
}

static inline void note_txn(Machine *m, BusTxn txn)
{
	m->bus.txns[txn]++;
	m->txns_by_ctx[m->ctx]++;
	if (m->out.n_txns < (int)G_N_ELEMENTS(m->out.txns))
		m->out.txns[m->out.n_txns++] = txn;
}

static uint64_t apply_store(PendingStore *ps, uint64_t *data)
{
	uint64_t old = data[ps->word], new = old;
	switch (ps->kind) {
	case ACC_STORE:
	case ACC_RMW_XCHG:
		new = ps->a;
		break;
	case ACC_RMW_ADD:
		new = old + ps->a;
		break;
	case ACC_RMW_CAS:
		new = old == ps->a ? ps->b : old;
		break;
	case ACC_LOAD:
		g_assert_not_reached();
	}
	data[ps->word] = new;
	ps->old = old;
	ps->done = 1;
	return new;
}

/* Puts a transaction on the bus: every other cache holding the line snoops
 * it through its own row.  Returns the shared signal: whether any other
 * cache held the line in a valid state when the transaction began.
 * BusRd and BusRdX bring the line's data into the requester's slot, from
 * the owner if one supplies it (a cache-to-cache transfer), else memory. */
static int bus_issue(Machine *m, unsigned req, int req_slot, BusTxn txn, uint64_t line_addr,
		     unsigned word, uint64_t word_value)
{
	const Protocol *p = m->proto;
	ProtoEvent ev = snoop_event[txn];
	uint64_t *req_data = cache_data(m->caches[req], req_slot);
	int shared = 0, supplier = -1;

	note_txn(m, txn);
	/* Caches are asked in core order, with or without the snoop filter. */
	uint64_t holders = m->sf ? sf_holders(m->sf, line_addr) & ~(UINT64_C(1) << req) : 0;
	for (unsigned j = 0; j < m->n_cores; j++) {
		if (m->sf) {
			if (!holders)
				break;
			j = (unsigned)__builtin_ctzll(holders);
			holders &= holders - 1;
		} else if (j == req) {
			continue;
		}
		Cache *c = m->caches[j];
		int slot = cache_lookup(c, line_addr);
		if (slot < 0) {
			g_assert(!m->sf);
			continue;
		}
		int state = cache_state(c, slot);
		shared = 1;
		const ProtoTransition *row = row_for(m, state, ev, j);
		for (int i = 0; i < PROTO_MAX_ACTIONS && row->actions[i]; i++) {
			switch (row->actions[i]) {
			case PROTO_ACT_SUPPLY:
				/* At most one owner; on BusUpgr/BusInv nothing moves. */
				if (G_UNLIKELY(supplier >= 0))
					protocol_error(m, "protocol %s: caches %d and %u both supply "
						       "line 0x%" PRIx64 " on %s",
						       p->name, supplier, j, line_addr,
						       proto_txn_name(txn));
				if (txn == BUS_RD || txn == BUS_RDX) {
					supplier = (int)j;
					memcpy(req_data, cache_data(c, slot), m->line_words * 8);
					m->cstats[j].c2c_supplied++;
					m->c2c_by_ctx[m->ctx]++;
				}
				break;
			case PROTO_ACT_WRITE_MEMORY:
				/* A downgrade write: a memory write, not a Flush. */
				mem_write_line(m->mem, line_addr, cache_data(c, slot), m->line_words);
				m->memstats.writes++;
				break;
			case PROTO_ACT_TAKE_UPDATE:
				g_assert(txn == BUS_UPD);
				cache_data(c, slot)[word] = word_value;
				break;
			default:
				g_error("protocol %s: action %s is not a snoop action (state %s, %s)",
					p->name, proto_action_name(row->actions[i]),
					p->state_names[state], proto_event_name(ev));
			}
		}
		uint8_t next = row->next;
		if (next == 0 && (txn == BUS_RDX || txn == BUS_UPGR || txn == BUS_INV)) {
			/* Per line per cache: one for each copy removed. */
			m->cstats[j].invalidations_received++;
			m->inv_by_ctx[m->ctx]++;
		}
		set_state(m, j, slot, next);
	}

	if (txn == BUS_RD || txn == BUS_RDX) {
		if (supplier >= 0) {
			m->out.source = SRC_CACHE;
			m->out.supplier = supplier;
		} else {
			mem_read_line(m->mem, line_addr, req_data, m->line_words);
			m->memstats.reads++;
			m->out.source = SRC_MEMORY;
		}
	}
	return shared;
}

/* Runs a processor-side row for the line in req_slot (already tagged with
 * line_addr).  ps is the store to apply, or NULL. */
static void run_row(Machine *m, unsigned core, int slot, ProtoEvent ev, uint64_t line_addr,
		    PendingStore *ps)
{
	Cache *c = m->caches[core];
	const ProtoTransition *row = row_for(m, cache_state(c, slot), ev, core);
	int shared = 0;

	for (int i = 0; i < PROTO_MAX_ACTIONS && row->actions[i]; i++) {
		switch (row->actions[i]) {
		case PROTO_ACT_ISSUE_RD:
			shared = bus_issue(m, core, slot, BUS_RD, line_addr, 0, 0);
			break;
		case PROTO_ACT_ISSUE_RDX:
			bus_issue(m, core, slot, BUS_RDX, line_addr, 0, 0);
			break;
		case PROTO_ACT_ISSUE_UPGR:
			m->cstats[core].upgrades++;
			bus_issue(m, core, slot, BUS_UPGR, line_addr, 0, 0);
			break;
		case PROTO_ACT_ISSUE_UPD_IF_SHARED:
			if (!shared)
				break;
			/* fall through */
		case PROTO_ACT_ISSUE_UPD: {
			g_assert(ps);
			uint64_t v = apply_store(ps, cache_data(c, slot));
			m->cstats[core].updates++;
			shared = bus_issue(m, core, slot, BUS_UPD, line_addr, ps->word, v);
			break;
		}
		case PROTO_ACT_ISSUE_INV:
			bus_issue(m, core, slot, BUS_INV, line_addr, 0, 0);
			break;
		case PROTO_ACT_ZERO_LINE:
			memset(cache_data(c, slot), 0, m->line_words * 8);
			break;
		case PROTO_ACT_WRITE_BACK:
			note_txn(m, BUS_FLUSH);
			mem_write_line(m->mem, line_addr, cache_data(c, slot), m->line_words);
			m->memstats.writes++;
			m->cstats[core].writebacks++;
			break;
		default:
			g_error("protocol %s: action %s is not a processor action (state %s, %s)",
				m->proto->name, proto_action_name(row->actions[i]),
				m->proto->state_names[cache_state(c, slot)], proto_event_name(ev));
		}
	}
	set_state(m, core, slot, shared ? row->next_shared : row->next);
}

/* Evicts the valid line in slot through its Evict row (a write-back if
 * the table says so); the slot ends not present. */
static void evict_slot(Machine *m, unsigned core, int slot)
{
	Cache *c = m->caches[core];
	uint8_t from = cache_state(c, slot);
	m->cstats[core].evictions++;
	m->out.evicted = 1;
	m->out.victim_addr = cache_tag(c, slot);
	run_row(m, core, slot, PROTO_EV_EVICT, cache_tag(c, slot), NULL);
	if (G_UNLIKELY(cache_state(c, slot) != 0)) {
		protocol_error(m, "protocol %s: the Evict row of state %s ends in %s, not %s",
			       m->proto->name, m->proto->state_names[from],
			       m->proto->state_names[cache_state(c, slot)], m->proto->state_names[0]);
		set_state(m, core, slot, 0);
	}
}

/* Finds a slot for line_addr, evicting the victim if it holds a valid
 * line.  Returns the slot, tagged, state 0. */
static int make_room(Machine *m, unsigned core, uint64_t line_addr)
{
	Cache *c = m->caches[core];
	int slot = cache_victim(c, line_addr);
	if (cache_state(c, slot) != 0)
		evict_slot(m, core, slot);
	cache_set_tag(c, slot, line_addr);
	return slot;
}

/* A row the cache settles alone: defined, and no action (no bus, no data
 * movement), so the access never leaves the fast path. */
static inline int settles_locally(const ProtoTransition *row)
{
	return row->defined && row->actions[0] == PROTO_ACT_NONE;
}

/* The row core's access of kind would take on the line in slot. */
static inline const ProtoTransition *access_row(const Machine *m, const Cache *c, int slot,
						AccessKind kind)
{
	return proto_row(m->proto, cache_state(c, slot),
			 kind == ACC_LOAD ? PROTO_EV_LOAD : PROTO_EV_STORE);
}

static void reset_outcome(Machine *m, uint64_t line_addr)
{
	m->out.hit = 0;
	m->out.n_txns = 0;
	m->out.source = SRC_NONE;
	m->out.supplier = -1;
	m->out.n_changes = 0;
	m->out.line_addr = line_addr;
	m->out.evicted = 0;
	m->out.claim_zero = 0;
}

static inline void notify(Machine *m, unsigned core, int kind, uint64_t addr, uint64_t value)
{
	for (unsigned i = 0; i < m->n_observers; i++)
		m->observers[i].fn(m->observers[i].data, m, core, kind, addr, value);
}

/* The access of machine_access() once the line has been looked up: slot
 * is where it is, or -1 for a miss. */
static uint64_t access_slot(Machine *m, unsigned core, AccessKind kind, uint64_t addr, uint64_t a,
			    uint64_t b, int slot)
{
	Cache *c = m->caches[core];
	uint64_t line_addr = addr & m->line_mask;
	unsigned word = (unsigned)((addr & ~m->line_mask) >> 3);
	ProtoEvent ev = kind == ACC_LOAD ? PROTO_EV_LOAD : PROTO_EV_STORE;
	CacheStats *cs = &m->cstats[core];

	reset_outcome(m, line_addr);
	cs->accesses++;
	if (kind == ACC_LOAD)
		m->astats[core].loads++;
	else if (kind == ACC_STORE)
		m->astats[core].stores++;
	else
		m->astats[core].rmws++;

	if (slot >= 0) {
		/* A hit, even if the row still needs the bus (an upgrade). */
		cs->hits++;
		m->out.hit = 1;
	} else {
		cs->misses++;
		slot = make_room(m, core, line_addr);
	}
	/* Hits and fills both make the line most recently used. */
	cache_touch(c, slot);

	const ProtoTransition *row = proto_row(m->proto, cache_state(c, slot), ev);
	PendingStore ps = { kind, word, a, b, 0, 0 };
	if (settles_locally(row)) {
		/* Fast path: a hit the table settles without the bus. */
		m->trans_counts[cache_state(c, slot) * PROTO_N_EVENTS + ev]++;
		set_state(m, core, slot, row->next);
	} else {
		run_row(m, core, slot, ev, line_addr, kind == ACC_LOAD ? NULL : &ps);
	}

	uint64_t *data = cache_data(c, slot);
	uint64_t result = data[word];
	if (kind != ACC_LOAD) {
		if (!ps.done)
			apply_store(&ps, data);
		result = ps.old;
	}
	if (G_UNLIKELY(m->n_observers))
		notify(m, core, kind, addr, data[word]);
	return result;
}

uint64_t machine_access(Machine *m, unsigned core, AccessKind kind, uint64_t addr, uint64_t a,
			uint64_t b)
{
	g_assert(core < m->n_cores && (addr & 7) == 0);
	return access_slot(m, core, kind, addr, a, b,
			   cache_lookup(m->caches[core], addr & m->line_mask));
}

int machine_access_if_hit(Machine *m, unsigned core, AccessKind kind, uint64_t addr, uint64_t a,
			  uint64_t b, uint64_t *result)
{
	g_assert(core < m->n_cores && (addr & 7) == 0);
	const Cache *c = m->caches[core];
	int slot = cache_lookup(c, addr & m->line_mask);
	if (slot < 0 || !settles_locally(access_row(m, c, slot, kind)))
		return 0;
	*result = access_slot(m, core, kind, addr, a, b, slot);
	return 1;
}

void machine_claim_line(Machine *m, unsigned core, uint64_t line_addr, int zero)
{
	g_assert(core < m->n_cores && (line_addr & ~m->line_mask) == 0);
	Cache *c = m->caches[core];
	reset_outcome(m, line_addr);
	int slot = cache_lookup(c, line_addr);
	if (slot < 0)
		slot = make_room(m, core, line_addr);
	cache_touch(c, slot);
	ProtoEvent ev = zero ? PROTO_EV_CLAIM_ZERO : PROTO_EV_CLAIM_RFO;
	m->out.claim_zero = zero;
	run_row(m, core, slot, ev, line_addr, NULL);
	if (G_UNLIKELY(cache_state(c, slot) != m->proto->writable_state))
		protocol_error(m, "protocol %s: %s ends in %s, not the writable state %s",
			       m->proto->name, proto_event_name(ev),
			       m->proto->state_names[cache_state(c, slot)],
			       m->proto->state_names[m->proto->writable_state]);
	if (G_UNLIKELY(m->n_observers))
		notify(m, core, -1, line_addr, 0);
}

void machine_evict_line(Machine *m, unsigned core, uint64_t line_addr)
{
	g_assert(core < m->n_cores && (line_addr & ~m->line_mask) == 0);
	reset_outcome(m, line_addr);
	int slot = cache_lookup(m->caches[core], line_addr);
	if (slot >= 0)
		evict_slot(m, core, slot);
}

int machine_needs_bus(const Machine *m, unsigned core, AccessKind kind, uint64_t addr)
{
	const Cache *c = m->caches[core];
	int slot = cache_lookup(c, addr & m->line_mask);
	return slot < 0 || !settles_locally(access_row(m, c, slot, kind));
}
