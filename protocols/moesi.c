/* moesi.c - MOESI: MESI plus an owned state that shares dirty data.
 *
 * An M line read by another cache becomes O and keeps supplying the line
 * without writing memory; memory is updated only when the O (or M) copy is
 * evicted.  A store to O upgrades like a store to S.
 */
#define PROTOCOL_TABLE_FILE
#include "protocol.h"

enum { I, S, E, O, M, N_STATES };

static const char *const names[N_STATES] = { "I", "S", "E", "O", "M" };

static const uint8_t flags[N_STATES] = {
	[I] = 0,
	[S] = PROTO_ST_VALID,
	[E] = PROTO_ST_VALID | PROTO_ST_WRITABLE | PROTO_ST_OWNER | PROTO_ST_EXCLUSIVE,
	[O] = PROTO_ST_VALID | PROTO_ST_OWNER | PROTO_ST_DIRTY,
	[M] = PROTO_ST_VALID | PROTO_ST_WRITABLE | PROTO_ST_OWNER | PROTO_ST_DIRTY | PROTO_ST_EXCLUSIVE,
};

/* Rows left out cannot happen (an E or M line never sees another's BusUpgr). */
static const ProtoTransition table[N_STATES][PROTO_N_EVENTS] = {
	[I] = {
		[PROTO_EV_LOAD]       = PROTO_ROW(E, S, ISSUE_RD),
		[PROTO_EV_STORE]      = PROTO_GO(M, ISSUE_RDX),
		[PROTO_EV_CLAIM_ZERO] = PROTO_GO(M, ISSUE_INV, ZERO_LINE),
		[PROTO_EV_CLAIM_RFO]  = PROTO_GO(M, ISSUE_RDX),
		[PROTO_EV_OTHER_RD]   = PROTO_GO(I),
		[PROTO_EV_OTHER_RDX]  = PROTO_GO(I),
		[PROTO_EV_OTHER_UPGR] = PROTO_GO(I),
		[PROTO_EV_OTHER_INV]  = PROTO_GO(I),
	},
	[S] = {
		[PROTO_EV_LOAD]       = PROTO_GO(S),
		[PROTO_EV_STORE]      = PROTO_GO(M, ISSUE_UPGR),
		[PROTO_EV_EVICT]      = PROTO_GO(I),
		[PROTO_EV_CLAIM_ZERO] = PROTO_GO(M, ISSUE_UPGR, ZERO_LINE),
		[PROTO_EV_CLAIM_RFO]  = PROTO_GO(M, ISSUE_UPGR),
		[PROTO_EV_OTHER_RD]   = PROTO_GO(S),
		[PROTO_EV_OTHER_RDX]  = PROTO_GO(I),
		[PROTO_EV_OTHER_UPGR] = PROTO_GO(I),
		[PROTO_EV_OTHER_INV]  = PROTO_GO(I),
	},
	[E] = {
		[PROTO_EV_LOAD]       = PROTO_GO(E),
		[PROTO_EV_STORE]      = PROTO_GO(M),
		[PROTO_EV_EVICT]      = PROTO_GO(I),
		[PROTO_EV_CLAIM_ZERO] = PROTO_GO(M, ZERO_LINE),
		[PROTO_EV_CLAIM_RFO]  = PROTO_GO(M),
		[PROTO_EV_OTHER_RD]   = PROTO_GO(S, SUPPLY),
		[PROTO_EV_OTHER_RDX]  = PROTO_GO(I, SUPPLY),
		[PROTO_EV_OTHER_INV]  = PROTO_GO(I),
	},
	[O] = {
		[PROTO_EV_LOAD]       = PROTO_GO(O),
		[PROTO_EV_STORE]      = PROTO_GO(M, ISSUE_UPGR),
		[PROTO_EV_EVICT]      = PROTO_GO(I, WRITE_BACK),
		[PROTO_EV_CLAIM_ZERO] = PROTO_GO(M, ISSUE_UPGR, ZERO_LINE),
		[PROTO_EV_CLAIM_RFO]  = PROTO_GO(M, ISSUE_UPGR),
		[PROTO_EV_OTHER_RD]   = PROTO_GO(O, SUPPLY),
		[PROTO_EV_OTHER_RDX]  = PROTO_GO(I, SUPPLY),
		[PROTO_EV_OTHER_UPGR] = PROTO_GO(I), /* the upgrader's copy is current */
		[PROTO_EV_OTHER_INV]  = PROTO_GO(I),
	},
	[M] = {
		[PROTO_EV_LOAD]       = PROTO_GO(M),
		[PROTO_EV_STORE]      = PROTO_GO(M),
		[PROTO_EV_EVICT]      = PROTO_GO(I, WRITE_BACK),
		[PROTO_EV_CLAIM_ZERO] = PROTO_GO(M, ZERO_LINE),
		[PROTO_EV_CLAIM_RFO]  = PROTO_GO(M),
		[PROTO_EV_OTHER_RD]   = PROTO_GO(O, SUPPLY), /* no memory write */
		[PROTO_EV_OTHER_RDX]  = PROTO_GO(I, SUPPLY),
		[PROTO_EV_OTHER_INV]  = PROTO_GO(I),
	},
};

const Protocol proto_moesi = {
	.name = "moesi",
	.description = "MOESI: invalidation with exclusive-clean and owned-dirty states",
	.n_states = N_STATES,
	.state_names = names,
	.state_flags = flags,
	.writable_state = M,
	.invalidating = 1,
	.table = &table[0][0],
};
