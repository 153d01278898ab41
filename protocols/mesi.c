/* mesi.c - MESI (Illinois): MSI plus an exclusive-clean state.
 *
 * A load miss that finds no other copy ends in E, so a private line can be
 * written later without any bus transaction.  E is an owner: it supplies
 * the line to a later reader.  S copies never supply data.
 */
#define PROTOCOL_TABLE_FILE
#include "protocol.h"

enum { I, S, E, M, N_STATES };

static const char *const names[N_STATES] = { "I", "S", "E", "M" };

static const uint8_t flags[N_STATES] = {
	[I] = 0,
	[S] = PROTO_ST_VALID,
	[E] = PROTO_ST_VALID | PROTO_ST_WRITABLE | PROTO_ST_OWNER | PROTO_ST_EXCLUSIVE,
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
	[M] = {
		[PROTO_EV_LOAD]       = PROTO_GO(M),
		[PROTO_EV_STORE]      = PROTO_GO(M),
		[PROTO_EV_EVICT]      = PROTO_GO(I, WRITE_BACK),
		[PROTO_EV_CLAIM_ZERO] = PROTO_GO(M, ZERO_LINE),
		[PROTO_EV_CLAIM_RFO]  = PROTO_GO(M),
		[PROTO_EV_OTHER_RD]   = PROTO_GO(S, SUPPLY, WRITE_MEMORY),
		[PROTO_EV_OTHER_RDX]  = PROTO_GO(I, SUPPLY),
		[PROTO_EV_OTHER_INV]  = PROTO_GO(I),
	},
};

const Protocol proto_mesi = {
	.name = "mesi",
	.description = "MESI (Illinois): invalidation with an exclusive-clean state",
	.n_states = N_STATES,
	.state_names = names,
	.state_flags = flags,
	.writable_state = M,
	.invalidating = 1,
	.table = &table[0][0],
};
