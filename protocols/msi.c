/* msi.c - MSI, the three-state invalidation protocol (Culler & Singh 5.3.1).
 *
 * There is no exclusive-clean state: a load miss always ends in S, and a
 * later store pays a BusUpgr even when no other cache holds the line.  An M
 * line read by another cache is written back to memory as it is supplied.
 */
#define PROTOCOL_TABLE_FILE
#include "protocol.h"

enum { I, S, M, N_STATES };

static const char *const names[N_STATES] = { "I", "S", "M" };

static const uint8_t flags[N_STATES] = {
	[I] = 0,
	[S] = PROTO_ST_VALID,
	[M] = PROTO_ST_VALID | PROTO_ST_WRITABLE | PROTO_ST_OWNER | PROTO_ST_DIRTY | PROTO_ST_EXCLUSIVE,
};


/* Rows left out cannot happen (an M line never sees another's BusUpgr). */
static const ProtoTransition table[N_STATES][PROTO_N_EVENTS] = {
	[I] = {
		[PROTO_EV_LOAD]       = PROTO_GO(S, ISSUE_RD),
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

const Protocol proto_msi = {
	.name = "msi",
	.description = "MSI: invalidation, no exclusive-clean state",
	.n_states = N_STATES,
	.state_names = names,
	.state_flags = flags,
	.writable_state = M,
	.invalidating = 1,
	.table = &table[0][0],
};
