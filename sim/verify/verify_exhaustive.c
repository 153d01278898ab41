/* verify_exhaustive.c - breadth-first search over a protocol's reachable
 * states (see verify_exhaustive.h).
 *
 * A state is encoded as one 64-bit number in mixed radix: per line, one
 * digit per cache (state * values + the copy's value; 0 for an absent
 * copy, so equal states encode equally), then memory's value and the last
 * store's.  The visited set is a GHashTable from that code to the state's
 * index in the discovery order, which is also the BFS queue; each state
 * keeps its parent and the event that reached it, so the counterexample is
 * read backwards from the violating step.  Memory: about 40 bytes per
 * state; the default bounds (3 cores, 1 line, 2 values) reach at most a
 * few hundred states, --lines 2 squares that.
 *
 * The machine has one-way caches with one set per line (8-byte lines), so
 * lines never compete for a way and evictions happen only as events.  Each
 * step imports the whole state, runs the event, and exports the line back.
 * Symmetry between caches is not exploited: a trace then names the caches
 * as they were, at the price of up to cores! times more states.
 */
#include <inttypes.h>
#include <string.h>

#include "checker.h"
#include "verify_exhaustive.h"
#include "input/config.h"
#include "machine/machine.h"

G_DEFINE_QUARK(labyrinth-verify-exhaustive-error-quark, vx_error)

#define LINE_BASE UINT64_C(0x1000)

typedef enum { EV_LOAD, EV_STORE, EV_EVICT, EV_CLAIM_ZERO, EV_CLAIM_RFO } EvKind;

typedef struct {
	EvKind kind;
	unsigned core, line, value;
} Event;

typedef struct {
	uint8_t st[VX_MAX_LINES][VX_MAX_CORES];
	uint8_t val[VX_MAX_LINES][VX_MAX_CORES];
	uint8_t mem[VX_MAX_LINES];
	uint8_t last[VX_MAX_LINES];
} State;

typedef struct {
	const VxOptions *o;
	const Protocol *p;
	Machine *m;
	unsigned n, lines, values;
	uint64_t cache_radix; /* states * values */
	GHashTable *visited;  /* code -> index + 1 */
	GArray *codes;        /* uint64_t, in discovery (= BFS) order */
	GArray *parents;      /* uint32_t: index of the parent; the root is its own */
	GArray *events;       /* uint32_t: the event that first reached it */
	GArray *depths;       /* uint16_t */
} Vx;

static uint32_t event_pack(const Event *e)
{
	return (uint32_t)e->kind | e->core << 4 | e->line << 8 | e->value << 12;
}

static Event event_unpack(uint32_t x)
{
	return (Event){ (EvKind)(x & 15), (x >> 4) & 15, (x >> 8) & 15, x >> 12 };
}

static uint64_t encode(const Vx *vx, const State *s)
{
	uint64_t code = 0;
	for (unsigned l = vx->lines; l-- > 0;) {
		code = code * vx->values + s->last[l];
		code = code * vx->values + s->mem[l];
		for (unsigned i = vx->n; i-- > 0;)
			code = code * vx->cache_radix + s->st[l][i] * vx->values +
			       (s->st[l][i] ? s->val[l][i] : 0);
	}
	return code;
}

static void decode(const Vx *vx, uint64_t code, State *s)
{
	memset(s, 0, sizeof *s);
	for (unsigned l = 0; l < vx->lines; l++) {
		for (unsigned i = 0; i < vx->n; i++) {
			unsigned d = (unsigned)(code % vx->cache_radix);
			code /= vx->cache_radix;
			s->st[l][i] = (uint8_t)(d / vx->values);
			s->val[l][i] = (uint8_t)(d % vx->values);
		}
		s->mem[l] = (uint8_t)(code % vx->values);
		code /= vx->values;
		s->last[l] = (uint8_t)(code % vx->values);
		code /= vx->values;
	}
}

static uint64_t line_addr(unsigned l)
{
	return LINE_BASE + 8 * (uint64_t)l;
}

static void import_state(Vx *vx, const State *s)
{
	uint64_t words[VX_MAX_CORES];
	for (unsigned l = 0; l < vx->lines; l++) {
		for (unsigned i = 0; i < vx->n; i++)
			words[i] = s->val[l][i];
		uint64_t mem = s->mem[l];
		machine_import_line(vx->m, line_addr(l), s->st[l], words, &mem);
	}
}

/* Reads line l back from the machine into s. */
static void export_line(Vx *vx, unsigned l, State *s)
{
	uint64_t words[VX_MAX_CORES], mem;
	machine_export_line(vx->m, line_addr(l), s->st[l], words, &mem);
	for (unsigned i = 0; i < vx->n; i++) {
		g_assert(words[i] < vx->values); /* only stores and claims make values */
		s->val[l][i] = s->st[l][i] ? (uint8_t)words[i] : 0;
	}
	g_assert(mem < vx->values);
	s->mem[l] = (uint8_t)mem;
}

static void describe_event(GString *out, const Vx *vx, const Event *e)
{
	static const char *const names[] = { "load", "store", "evict", "claim zero", "claim rfo" };
	g_string_append_printf(out, "core %u %s", e->core, names[e->kind]);
	if (e->kind == EV_STORE)
		g_string_append_printf(out, " %u", e->value);
	if (vx->lines > 1)
		g_string_append_printf(out, " line %u", e->line);
}

static void describe_state(GString *out, const Vx *vx, const State *s)
{
	for (unsigned l = 0; l < vx->lines; l++) {
		g_string_append(out, l ? "; " : "");
		if (vx->lines > 1)
			g_string_append_printf(out, "line %u: ", l);
		for (unsigned i = 0; i < vx->n; i++) {
			g_string_append(out, vx->p->state_names[s->st[l][i]]);
			if (s->st[l][i])
				g_string_append_printf(out, "=%u", s->val[l][i]);
			g_string_append_c(out, ' ');
		}
		g_string_append_printf(out, "mem=%u last=%u", s->mem[l], s->last[l]);
	}
}

/* Runs e on the machine from s; fills next.  NULL if every invariant
 * holds, else what broke (g_free). */
static char *step(Vx *vx, const State *s, const Event *e, State *next)
{
	Machine *m = vx->m;
	const Protocol *p = vx->p;
	unsigned l = e->line;
	uint64_t addr = line_addr(l);
	uint64_t loaded = 0;
	int other_owner = 0;

	for (unsigned i = 0; i < vx->n; i++)
		if (i != e->core && (p->state_flags[s->st[l][i]] & PROTO_ST_OWNER))
			other_owner = 1;
	import_state(vx, s);
	machine_clear_protocol_error(m);
	*next = *s;
	switch (e->kind) {
	case EV_LOAD:
		loaded = machine_access(m, e->core, ACC_LOAD, addr, 0, 0);
		break;
	case EV_STORE:
		machine_access(m, e->core, ACC_STORE, addr, e->value, 0);
		next->last[l] = (uint8_t)e->value;
		break;
	case EV_EVICT:
		machine_evict_line(m, e->core, addr);
		break;
	case EV_CLAIM_ZERO:
		machine_claim_line(m, e->core, addr, 1);
		next->last[l] = 0;
		break;
	case EV_CLAIM_RFO:
		machine_claim_line(m, e->core, addr, 0);
		break;
	}
	const char *perr = machine_protocol_error(m);
	if (perr)
		return g_strdup_printf("protocol error: %s", perr);
	export_line(vx, l, next);

	if (e->kind == EV_LOAD && loaded != s->last[l])
		return g_strdup_printf("data value: core %u loaded %" PRIu64
				       ", but the last store wrote %u",
				       e->core, loaded, s->last[l]);
	/* PROTO_ST_OWNER means "supplies the data on a BusRd": a BusRd or
	 * BusRdX that found an owner must be served by a cache. */
	const AccessOutcome *out = machine_last_outcome(m);
	for (int t = 0; t < out->n_txns; t++) {
		if ((out->txns[t] == BUS_RD || out->txns[t] == BUS_RDX) && other_owner &&
		    out->source != SRC_CACHE)
			return g_strdup_printf("owner supplies: another cache owned the line, "
					       "yet %s was served by memory",
					       proto_txn_name(out->txns[t]));
	}

	static const int kinds[] = {
		[EV_LOAD] = ACC_LOAD,
		[EV_STORE] = ACC_STORE,
		[EV_EVICT] = CHECKER_KIND_EVICT,
		[EV_CLAIM_ZERO] = CHECKER_KIND_CLAIM,
		[EV_CLAIM_RFO] = CHECKER_KIND_CLAIM,
	};
	char *bad = checker_check_transition(p, e->core, kinds[e->kind], out,
					     next->st[l][e->core]);
	if (bad)
		return bad;

	uint64_t data[VX_MAX_CORES], mem = next->mem[l], expected = next->last[l];
	for (unsigned i = 0; i < vx->n; i++)
		data[i] = next->val[l][i];
	LineSnapshot ls = {
		.proto = p,
		.n_caches = vx->n,
		.words = 1,
		.states = next->st[l],
		.data = data,
		.mem = &mem,
		.expected = &expected,
	};
	unsigned word;
	return checker_check_line(&ls, &word);
}

/* Every event possible from s, in a fixed order. */
static unsigned list_events(const Vx *vx, const State *s, Event *ev)
{
	unsigned k = 0;
	for (unsigned c = 0; c < vx->n; c++) {
		for (unsigned l = 0; l < vx->lines; l++) {
			ev[k++] = (Event){ EV_LOAD, c, l, 0 };
			for (unsigned v = 0; v < vx->values; v++)
				ev[k++] = (Event){ EV_STORE, c, l, v };
			if (s->st[l][c])
				ev[k++] = (Event){ EV_EVICT, c, l, 0 };
			if (!vx->o->no_claims) {
				ev[k++] = (Event){ EV_CLAIM_ZERO, c, l, 0 };
				ev[k++] = (Event){ EV_CLAIM_RFO, c, l, 0 };
			}
		}
	}
	return k;
}

static uint32_t add_state(Vx *vx, uint64_t code, uint32_t parent, uint32_t ev, uint16_t depth)
{
	uint32_t idx = vx->codes->len;
	g_array_append_val(vx->codes, code);
	g_array_append_val(vx->parents, parent);
	g_array_append_val(vx->events, ev);
	g_array_append_val(vx->depths, depth);
	g_hash_table_insert(vx->visited, GSIZE_TO_POINTER(code), GUINT_TO_POINTER(idx + 1));
	return idx;
}

/* The path from the initial state to state idx, then the violating event
 * e and the state it led to. */
static void build_trace(Vx *vx, uint32_t idx, const Event *e, const State *bad, VxResult *r)
{
	GArray *path = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	for (uint32_t i = idx; i != 0; i = g_array_index(vx->parents, uint32_t, i))
		g_array_prepend_val(path, i);
	GString *out = g_string_new(NULL);
	State s;
	decode(vx, 0, &s);
	g_string_append(out, "   start: ");
	describe_state(out, vx, &s);
	g_string_append_c(out, '\n');
	for (guint k = 0; k < path->len; k++) {
		uint32_t i = g_array_index(path, uint32_t, k);
		Event pe = event_unpack(g_array_index(vx->events, uint32_t, i));
		decode(vx, g_array_index(vx->codes, uint64_t, i), &s);
		g_string_append_printf(out, "  %2u. ", k + 1);
		describe_event(out, vx, &pe);
		g_string_append(out, " -> ");
		describe_state(out, vx, &s);
		g_string_append_c(out, '\n');
	}
	g_string_append_printf(out, "  %2u. ", path->len + 1);
	describe_event(out, vx, e);
	g_string_append(out, " -> ");
	describe_state(out, vx, bad);
	g_string_append_c(out, '\n');
	r->trace_len = path->len + 1;
	r->trace = g_string_free(out, FALSE);
	g_array_free(path, TRUE);
}

static gboolean check_options(const VxOptions *o, uint64_t *cache_radix, GError **error)
{
	if (o->cores < 1 || o->cores > VX_MAX_CORES || o->lines < 1 || o->lines > VX_MAX_LINES ||
	    o->values < 1 || o->values > VX_MAX_VALUES) {
		g_set_error(error, VX_ERROR, VX_ERROR_OPTION,
			    "verify exhaustive: cores must be 1..%d, lines 1..%d and values 1..%d",
			    VX_MAX_CORES, VX_MAX_LINES, VX_MAX_VALUES);
		return FALSE;
	}
	*cache_radix = (uint64_t)o->proto->n_states * o->values;
	/* The code must fit in 64 bits: radix^(cores * lines) * values^(2 * lines). */
	uint64_t total = 1;
	for (unsigned l = 0; l < o->lines; l++) {
		for (unsigned i = 0; i < o->cores + 2; i++) {
			uint64_t r = i < o->cores ? *cache_radix : o->values;
			if (total > UINT64_MAX / r) {
				g_set_error(error, VX_ERROR, VX_ERROR_OPTION,
					    "verify exhaustive: %u cores, %u lines and %u values "
					    "make states too large to encode in 64 bits",
					    o->cores, o->lines, o->values);
				return FALSE;
			}
			total *= r;
		}
	}
	return TRUE;
}

static Machine *build_machine(const VxOptions *o)
{
	g_auto(Config) cfg = { 0 };
	config_init(&cfg);
	unsigned sets = 1;
	while (sets < o->lines)
		sets *= 2;
	cfg.line = 8;
	cfg.assoc = 1;
	cfg.cache_size = 8 * (uint64_t)sets;
	Machine *m = machine_new(&cfg, o->proto, o->cores);
	machine_set_record_errors(m, TRUE);
	return m;
}

gboolean vx_run(const VxOptions *o, VxResult *r, GError **error)
{
	memset(r, 0, sizeof *r);
	Vx vx = { .o = o, .p = o->proto, .n = o->cores, .lines = o->lines, .values = o->values };
	if (!check_options(o, &vx.cache_radix, error))
		return FALSE;
	vx.m = build_machine(o);
	vx.visited = g_hash_table_new(g_direct_hash, g_direct_equal);
	vx.codes = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	vx.parents = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	vx.events = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	vx.depths = g_array_new(FALSE, FALSE, sizeof(uint16_t));

	State s, next;
	memset(&s, 0, sizeof s);
	add_state(&vx, encode(&vx, &s), 0, 0, 0);
	Event ev[VX_MAX_CORES * VX_MAX_LINES * (VX_MAX_VALUES + 4)];
	gboolean ok = TRUE;
	for (uint32_t idx = 0; idx < vx.codes->len && !r->violation; idx++) {
		decode(&vx, g_array_index(vx.codes, uint64_t, idx), &s);
		uint16_t depth = g_array_index(vx.depths, uint16_t, idx);
		r->depth = MAX(r->depth, depth);
		unsigned n_ev = list_events(&vx, &s, ev);
		for (unsigned k = 0; k < n_ev; k++) {
			r->transitions++;
			char *bad = step(&vx, &s, &ev[k], &next);
			if (bad) {
				r->violation = bad;
				build_trace(&vx, idx, &ev[k], &next, r);
				break;
			}
			uint64_t code = encode(&vx, &next);
			if (g_hash_table_contains(vx.visited, GSIZE_TO_POINTER(code)))
				continue;
			if (o->max_states && vx.codes->len >= o->max_states) {
				g_set_error(error, VX_ERROR, VX_ERROR_LIMIT,
					    "verify exhaustive: more than %" PRIu64 " states",
					    o->max_states);
				ok = FALSE;
				goto out;
			}
			add_state(&vx, code, idx, event_pack(&ev[k]), (uint16_t)(depth + 1));
		}
	}
out:
	r->states = vx.codes->len;
	gsize n_rows = (gsize)vx.p->n_states * PROTO_N_EVENTS;
	r->row_counts = g_new(uint64_t, n_rows);
	memcpy(r->row_counts, machine_transition_counts(vx.m), n_rows * sizeof(uint64_t));
	g_hash_table_destroy(vx.visited);
	g_array_free(vx.codes, TRUE);
	g_array_free(vx.parents, TRUE);
	g_array_free(vx.events, TRUE);
	g_array_free(vx.depths, TRUE);
	machine_free(vx.m);
	return ok;
}

void vx_result_clear(VxResult *r)
{
	g_free(r->violation);
	g_free(r->trace);
	g_free(r->row_counts);
	memset(r, 0, sizeof *r);
}
