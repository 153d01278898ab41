/* checker.c - the invariant checker (see checker.h).
 *
 * After each access the observer (1) checks a load's value against the
 * shadow, or moves a store's value into it, (2) checks the transition
 * rules on the outcome, (3) snapshots the touched line in every cache and
 * memory (machine_export_line) and checks it, and (4) does the same for
 * the victim line if the fill evicted one.  Only those lines can have
 * changed: the bus is atomic and a transaction touches one line.  A hit
 * that used no bus and changed no state skips (3): a load changed nothing
 * (the rules of (2) make sure of it), a store only the word the shadow now
 * holds, and the line was checked after the access that last changed it.
 *
 * The shadow holds, for every line the machine has touched, the value of
 * the most recent store to each word.  A line seen for the first time
 * takes memory's contents: no store has reached it through the machine,
 * so memory is what every copy must hold (the allocator writes its boot
 * layout into memory directly, before any access).  Cost: one hash lookup
 * per access (with a one-entry cache in front), n_cores cache lookups and
 * a line copy per cache; the shadow costs line bytes plus a hash entry per
 * line touched.  docs/verification.md gives the measured overhead.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"

G_DEFINE_QUARK(labyrinth-checker-error-quark, checker_error)

#define N_RECENT 8 /* events kept for the report */
#define EV_MAX_CHANGES 8

/* One access or claim, as the report prints it. */
typedef struct {
	uint64_t seq; /* 1-based count of accesses and claims */
	unsigned core;
	int kind; /* AccessKind, or -1 for a claim */
	uint64_t addr, value;
	int hit, claim_zero, evicted;
	uint64_t victim;
	int n_txns;
	BusTxn txns[6];
	DataSource source;
	int supplier;
	int n_changes; /* all of them; the first EV_MAX_CHANGES are kept */
	StateChange changes[EV_MAX_CHANGES];
} Event;

struct Checker {
	Machine *m;
	const Protocol *proto;
	CheckerMode mode;
	unsigned n, words, line;
	GHashTable *shadow;   /* line address -> uint64_t[words], the expected words */
	uint64_t last_line;   /* a one-entry cache in front of the hash */
	uint64_t *last_words; /* NULL when empty */
	uint8_t *states;      /* snapshot buffers: [n], [n * words], [words] */
	uint64_t *data, *mem;
	Event recent[N_RECENT]; /* a ring: event seq lives at (seq - 1) % N_RECENT */
	uint64_t seq;
	char *report; /* the first violation, or NULL */
	CheckerError code; /* its kind */
};

/* ---- The line invariants, shared with the exhaustive verifier ---- */

char *checker_check_line(const LineSnapshot *ls, unsigned *word)
{
	const Protocol *p = ls->proto;
	int owner = -1, dirty = 0, present = 0;
	*word = 0;
	for (unsigned i = 0; i < ls->n_caches; i++)
		present += ls->states[i] != 0;
	for (unsigned i = 0; i < ls->n_caches; i++) {
		uint8_t st = ls->states[i];
		if (st == 0)
			continue;
		uint8_t f = p->state_flags[st];
		if (p->invalidating && (f & PROTO_ST_WRITABLE) && present > 1)
			return g_strdup_printf("SWMR: cache %u holds the line writable (%s), "
					       "yet %d other caches hold it too",
					       i, p->state_names[st], present - 1);
		if ((f & PROTO_ST_EXCLUSIVE) && present > 1)
			return g_strdup_printf("exclusive: cache %u holds the line in %s, "
					       "yet %d other caches hold it too",
					       i, p->state_names[st], present - 1);
		if (f & PROTO_ST_OWNER) {
			if (owner >= 0)
				return g_strdup_printf("single owner: caches %d (%s) and %u (%s) "
						       "both own the line",
						       owner, p->state_names[ls->states[owner]], i,
						       p->state_names[st]);
			owner = (int)i;
		}
		dirty |= (f & PROTO_ST_DIRTY) != 0;
	}
	for (unsigned i = 0; i < ls->n_caches; i++) {
		if (ls->states[i] == 0)
			continue;
		const uint64_t *d = &ls->data[(gsize)i * ls->words];
		for (unsigned w = 0; w < ls->words; w++) {
			if (d[w] == ls->expected[w])
				continue;
			*word = w;
			return g_strdup_printf("data value: cache %u (%s) holds %" PRIu64
					       " in word %u, but the last store wrote %" PRIu64,
					       i, p->state_names[ls->states[i]], d[w], w,
					       ls->expected[w]);
		}
	}
	if (!dirty) {
		for (unsigned w = 0; w < ls->words; w++) {
			if (ls->mem[w] == ls->expected[w])
				continue;
			*word = w;
			return g_strdup_printf("data value: no cache holds the line dirty, but "
					       "memory holds %" PRIu64 " in word %u and the last "
					       "store wrote %" PRIu64,
					       ls->mem[w], w, ls->expected[w]);
		}
	}
	return NULL;
}

static int issued(const AccessOutcome *out, BusTxn txn)
{
	for (int i = 0; i < out->n_txns; i++)
		if (out->txns[i] == txn)
			return 1;
	return 0;
}

char *checker_check_transition(const Protocol *p, unsigned core, int kind,
			       const AccessOutcome *out, int final_state)
{
	gboolean writes = kind >= 0 ? kind != ACC_LOAD : kind == CHECKER_KIND_CLAIM;
	gboolean invalidates = issued(out, BUS_RDX) || issued(out, BUS_UPGR) || issued(out, BUS_INV);
	gboolean reads = issued(out, BUS_RD) || issued(out, BUS_RDX);
	for (int i = 0; i < out->n_changes; i++) {
		const StateChange *c = &out->changes[i];
		if (c->cache == core)
			continue; /* its own fill, eviction or row: the rules below */
		if (reads && (p->state_flags[c->from] & PROTO_ST_OWNER) && out->source != SRC_CACHE)
			return g_strdup_printf("an owner supplies: cache %u left %s on core %u's %s, "
					       "but memory supplied the data",
					       c->cache, p->state_names[c->from], core,
					       issued(out, BUS_RDX) ? "BusRdX" : "BusRd");
		if (c->from && !c->to && !invalidates)
			return g_strdup_printf("copies lost only to invalidations: cache %u dropped its "
					       "%s copy, but core %u issued no BusRdX, BusUpgr or BusInv",
					       c->cache, p->state_names[c->from], core);
		if (!(p->state_flags[c->from] & PROTO_ST_DIRTY) &&
		    (p->state_flags[c->to] & PROTO_ST_DIRTY))
			return g_strdup_printf("dirty only where written: cache %u went %s -> %s on "
					       "core %u's access",
					       c->cache, p->state_names[c->from],
					       p->state_names[c->to], core);
	}
	if (kind == CHECKER_KIND_EVICT)
		return NULL;
	for (int i = 0; i < out->n_changes; i++) {
		const StateChange *c = &out->changes[i];
		if (c->cache == core && !writes && c->to &&
		    !(p->state_flags[c->from] & PROTO_ST_DIRTY) &&
		    (p->state_flags[c->to] & PROTO_ST_DIRTY))
			return g_strdup_printf("dirty only where written: core %u's load took its "
					       "line %s -> %s",
					       core, p->state_names[c->from], p->state_names[c->to]);
	}
	if (kind >= 0 && final_state == 0)
		return g_strdup_printf("the requester holds the line: core %u's %s left it %s", core,
				       kind == ACC_LOAD ? "load" : "store", p->state_names[0]);
	if (writes && p->invalidating && !(p->state_flags[final_state] & PROTO_ST_WRITABLE))
		return g_strdup_printf("write permission: core %u's %s left its line %s, which is "
				       "not writable",
				       core, kind >= 0 ? "store" : "claim", p->state_names[final_state]);
	if (kind == ACC_LOAD && out->hit && (out->n_txns || out->n_changes))
		return g_strdup_printf("a load hit changes nothing: core %u's load hit %s",
				       core, out->n_txns ? "used the bus" : "changed a state");
	return NULL;
}

/* ---- The report ---- */

static const char *kind_name(int kind, int claim_zero)
{
	switch (kind) {
	case ACC_LOAD:
		return "ld";
	case ACC_STORE:
		return "st";
	case ACC_RMW_ADD:
		return "rmw add";
	case ACC_RMW_XCHG:
		return "rmw xchg";
	case ACC_RMW_CAS:
		return "rmw cas";
	}
	return claim_zero ? "claim zero" : "claim rfo";
}

static void append_event(GString *s, const Protocol *p, const Event *e)
{
	g_string_append_printf(s, "\n    #%" PRIu64 " core %u %s 0x%" PRIx64, e->seq, e->core,
			       kind_name(e->kind, e->claim_zero), e->addr);
	if (e->kind == ACC_LOAD)
		g_string_append_printf(s, " -> %" PRIu64, e->value);
	else if (e->kind >= 0)
		g_string_append_printf(s, " <- %" PRIu64, e->value);
	if (e->kind >= 0)
		g_string_append(s, e->hit ? ": hit" : ": miss");
	else
		g_string_append_c(s, ':');
	if (e->evicted)
		g_string_append_printf(s, ", evicts 0x%" PRIx64, e->victim);
	for (int i = 0; i < e->n_txns; i++)
		g_string_append_printf(s, ", %s", proto_txn_name(e->txns[i]));
	if (e->source == SRC_CACHE)
		g_string_append_printf(s, " (data from cache %d)", e->supplier);
	else if (e->source == SRC_MEMORY)
		g_string_append(s, " (data from memory)");
	for (int i = 0; i < e->n_changes && i < EV_MAX_CHANGES; i++)
		g_string_append_printf(s, ", cache %u %s->%s", e->changes[i].cache,
				       p->state_names[e->changes[i].from],
				       p->state_names[e->changes[i].to]);
	if (e->n_changes > EV_MAX_CHANGES)
		g_string_append(s, ", ...");
}

/* Records the first violation: what broke, the line in every cache, and
 * the last events; then stops checking (or exits, in CHECKER_EXIT mode). */
static void report(Checker *ck, CheckerError code, uint64_t line_addr, unsigned word,
		   const char *what)
{
	const Protocol *p = ck->proto;
	GString *s = g_string_new(NULL);
	if (code == CHECKER_ERROR_PROTOCOL)
		g_string_append_printf(s, "protocol error: %s", what);
	else
		g_string_append_printf(s, "invariant violated: %s (%s)", what, p->name);
	g_string_append_printf(s, "\n  line 0x%" PRIx64 ":", line_addr);
	for (unsigned i = 0; i < ck->n; i++) {
		g_string_append_printf(s, " cache %u %s", i, p->state_names[ck->states[i]]);
		if (ck->states[i])
			g_string_append_printf(s, " [%" PRIu64 "]",
					       ck->data[(gsize)i * ck->words + word]);
		g_string_append_c(s, ';');
	}
	g_string_append_printf(s, " memory [%" PRIu64 "] (word %u, address 0x%" PRIx64 ")",
			       ck->mem[word], word, line_addr + 8 * (uint64_t)word);
	uint64_t first = ck->seq > N_RECENT ? ck->seq - N_RECENT + 1 : 1;
	g_string_append_printf(s, "\n  the last %" PRIu64 " events:", ck->seq - first + 1);
	for (uint64_t q = first; q <= ck->seq; q++)
		append_event(s, p, &ck->recent[(q - 1) % N_RECENT]);
	ck->report = g_string_free(s, FALSE);
	ck->code = code;
	if (ck->mode == CHECKER_EXIT) {
		/* A broken invariant is an internal error (cli.md); the engines
		 * have no way to be stopped from an observer, and nothing they
		 * would still do (write a report or a JSON file) is worth doing
		 * after it.  Output files are written whole at the end, so none
		 * is left half-written. */
		fflush(stdout);
		fprintf(stderr, "labyrinth: %s\n", ck->report);
		exit(CHECKER_EXIT_STATUS);
	}
}

/* ---- Watching the machine ---- */

/* The expected words of line_addr; a line seen for the first time starts
 * as memory holds it (see the top of this file).  A victim's lookup
 * (create = FALSE) leaves the one-entry cache to the line being accessed. */
static uint64_t *shadow_line(Checker *ck, uint64_t line_addr, int create)
{
	if (ck->last_words && ck->last_line == line_addr)
		return ck->last_words;
	uint64_t *w = g_hash_table_lookup(ck->shadow, GSIZE_TO_POINTER(line_addr));
	if (!create)
		return w;
	if (!w) {
		w = g_new(uint64_t, ck->words);
		mem_read_line(machine_memory(ck->m), line_addr, w, ck->words);
		g_hash_table_insert(ck->shadow, GSIZE_TO_POINTER(line_addr), w);
	}
	ck->last_line = line_addr;
	ck->last_words = w;
	return w;
}

static gboolean check_line(Checker *ck, uint64_t line_addr, const uint64_t *expected)
{
	machine_export_line(ck->m, line_addr, ck->states, ck->data, ck->mem);
	LineSnapshot ls = {
		.proto = ck->proto,
		.n_caches = ck->n,
		.words = ck->words,
		.states = ck->states,
		.data = ck->data,
		.mem = ck->mem,
		.expected = expected,
	};
	unsigned word;
	g_autofree char *what = checker_check_line(&ls, &word);
	if (!what)
		return TRUE;
	report(ck, CHECKER_ERROR_INVARIANT, line_addr, word, what);
	return FALSE;
}

static void remember(Checker *ck, unsigned core, int kind, uint64_t addr, uint64_t value,
		     const AccessOutcome *out)
{
	/* Field by field, and only the transactions and changes there are:
	 * this runs on every access. */
	Event *e = &ck->recent[ck->seq++ % N_RECENT];
	e->seq = ck->seq;
	e->core = core;
	e->kind = kind;
	e->addr = addr;
	e->value = value;
	e->hit = out->hit;
	e->claim_zero = out->claim_zero;
	e->evicted = out->evicted;
	e->victim = out->victim_addr;
	e->n_txns = out->n_txns;
	e->source = out->source;
	e->supplier = out->supplier;
	e->n_changes = out->n_changes;
	for (int i = 0; i < out->n_txns; i++)
		e->txns[i] = out->txns[i];
	for (int i = 0; i < out->n_changes && i < EV_MAX_CHANGES; i++)
		e->changes[i] = out->changes[i];
}

static void observe(void *data, Machine *m, unsigned core, int kind, uint64_t addr, uint64_t value)
{
	Checker *ck = data;
	if (ck->report)
		return;
	const AccessOutcome *out = machine_last_outcome(m);
	remember(ck, core, kind, addr, value, out);

	uint64_t line_addr = out->line_addr;
	uint64_t *expected = shadow_line(ck, line_addr, TRUE);
	unsigned word = (unsigned)((addr - line_addr) >> 3);
	const char *perr = machine_protocol_error(m);
	if (G_UNLIKELY(perr)) {
		/* Recorded by a machine that records errors; whatever else broke
		 * followed from it. */
		machine_export_line(m, line_addr, ck->states, ck->data, ck->mem);
		report(ck, CHECKER_ERROR_PROTOCOL, line_addr, word, perr);
		return;
	}
	if (kind == ACC_LOAD) {
		if (value != expected[word]) {
			machine_export_line(m, line_addr, ck->states, ck->data, ck->mem);
			g_autofree char *what = g_strdup_printf(
				"data value: core %u loaded %" PRIu64 " from 0x%" PRIx64
				", but the last store to it wrote %" PRIu64,
				core, value, addr, expected[word]);
			report(ck, CHECKER_ERROR_INVARIANT, line_addr, word, what);
			return;
		}
		/* The common case: a hit that used no bus and changed no state
		 * keeps every transition rule and changed nothing to check. */
		if (out->hit && !out->n_txns && !out->n_changes)
			return;
	} else if (kind >= 0) {
		expected[word] = value;
	} else if (out->claim_zero) {
		memset(expected, 0, ck->words * 8);
	}
	g_autofree char *bad = checker_check_transition(
		ck->proto, core, kind, out, machine_line_state(m, core, line_addr));
	if (G_UNLIKELY(bad)) {
		machine_export_line(m, line_addr, ck->states, ck->data, ck->mem);
		report(ck, CHECKER_ERROR_INVARIANT, line_addr, word, bad);
		return;
	}
	/* A load hit changed nothing (the rule above says so), and a store hit
	 * that used no bus and changed no state changed only the stored word,
	 * which the shadow now holds; the line was checked after the access
	 * that last changed anything else. */
	if (kind >= 0 && out->hit && !out->n_txns && !out->n_changes)
		return;
	if (!check_line(ck, line_addr, expected))
		return;
	if (out->evicted) {
		uint64_t *victim = shadow_line(ck, out->victim_addr, FALSE);
		if (victim)
			check_line(ck, out->victim_addr, victim);
	}
}

Checker *checker_attach(Machine *m, CheckerMode mode)
{
	Checker *ck = g_new0(Checker, 1);
	ck->m = m;
	ck->proto = machine_protocol(m);
	ck->mode = mode;
	ck->n = machine_n_cores(m);
	ck->line = machine_line_size(m);
	ck->words = ck->line / 8;
	ck->shadow = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	ck->states = g_new0(uint8_t, ck->n);
	ck->data = g_new0(uint64_t, (gsize)ck->n * ck->words);
	ck->mem = g_new0(uint64_t, ck->words);
	machine_add_observer(m, observe, ck);
	return ck;
}

void checker_free(Checker *ck)
{
	if (!ck)
		return;
	g_hash_table_destroy(ck->shadow);
	g_free(ck->states);
	g_free(ck->data);
	g_free(ck->mem);
	g_free(ck->report);
	g_free(ck);
}

gboolean checker_status(const Checker *ck, GError **error)
{
	if (ck->report) {
		g_set_error_literal(error, CHECKER_ERROR, ck->code, ck->report);
		return FALSE;
	}
	return TRUE;
}

uint64_t checker_n_checked(const Checker *ck)
{
	return ck->seq;
}
