/* dragon.c - Dragon, the Xerox PARC update protocol (Culler & Singh 5.4.2).
 *
 * Writes to shared lines are broadcast word by word (BusUpd) instead of
 * invalidating the other copies.  Sm is the owner of a dirty shared line
 * and writes it back on eviction; Sc copies are clean with respect to the
 * owner.  Dragon never invalidates on its own: the only BusInv it sees is
 * the page allocator's exclusive claim (see protocols.md), which it honours
 * like any other protocol.
 */
#define PROTOCOL_TABLE_FILE
#include "protocol.h"

enum { ABSENT, E, SC, SM, M, N_STATES };

static const char *const names[N_STATES] = { "-", "E", "Sc", "Sm", "M" };

static const uint8_t flags[N_STATES] = {
	[ABSENT] = 0,
	[E] = PROTO_ST_VALID | PROTO_ST_WRITABLE | PROTO_ST_OWNER | PROTO_ST_EXCLUSIVE,
	[SC] = PROTO_ST_VALID,
	[SM] = PROTO_ST_VALID | PROTO_ST_OWNER | PROTO_ST_DIRTY,
	[M] = PROTO_ST_VALID | PROTO_ST_WRITABLE | PROTO_ST_OWNER | PROTO_ST_DIRTY | PROTO_ST_EXCLUSIVE,
};

/* Rows left out cannot happen: Dragon issues no BusRdX or BusUpgr, and an
 * exclusive line never sees another's BusUpd.  A claim that fetches data
 * (claim = rfo) reads the line like a store miss would, then invalidates. */
static const ProtoTransition table[N_STATES][PROTO_N_EVENTS] = {
	[ABSENT] = {
		[PROTO_EV_LOAD]       = PROTO_ROW(E, SC, ISSUE_RD),
		[PROTO_EV_STORE]      = PROTO_ROW(M, SM, ISSUE_RD, ISSUE_UPD_IF_SHARED),
		[PROTO_EV_CLAIM_ZERO] = PROTO_GO(M, ISSUE_INV, ZERO_LINE),
		[PROTO_EV_CLAIM_RFO]  = PROTO_GO(M, ISSUE_RD, ISSUE_INV),
		[PROTO_EV_OTHER_RD]   = PROTO_GO(ABSENT),
		[PROTO_EV_OTHER_UPD]  = PROTO_GO(ABSENT),
		[PROTO_EV_OTHER_INV]  = PROTO_GO(ABSENT),
	},
	[E] = {
		[PROTO_EV_LOAD]       = PROTO_GO(E),
		[PROTO_EV_STORE]      = PROTO_GO(M),
		[PROTO_EV_EVICT]      = PROTO_GO(ABSENT),
		[PROTO_EV_CLAIM_ZERO] = PROTO_GO(M, ZERO_LINE),
		[PROTO_EV_CLAIM_RFO]  = PROTO_GO(M),
		[PROTO_EV_OTHER_RD]   = PROTO_GO(SC, SUPPLY),
		[PROTO_EV_OTHER_INV]  = PROTO_GO(ABSENT),
	},
	[SC] = {
		[PROTO_EV_LOAD]       = PROTO_GO(SC),
		[PROTO_EV_STORE]      = PROTO_ROW(M, SM, ISSUE_UPD),
		[PROTO_EV_EVICT]      = PROTO_GO(ABSENT),
		[PROTO_EV_CLAIM_ZERO] = PROTO_GO(M, ISSUE_INV, ZERO_LINE),
		[PROTO_EV_CLAIM_RFO]  = PROTO_GO(M, ISSUE_INV),
		[PROTO_EV_OTHER_RD]   = PROTO_GO(SC),
		[PROTO_EV_OTHER_UPD]  = PROTO_GO(SC, TAKE_UPDATE),
		[PROTO_EV_OTHER_INV]  = PROTO_GO(ABSENT),
	},
	[SM] = {
		[PROTO_EV_LOAD]       = PROTO_GO(SM),
		[PROTO_EV_STORE]      = PROTO_ROW(M, SM, ISSUE_UPD),
		[PROTO_EV_EVICT]      = PROTO_GO(ABSENT, WRITE_BACK),
		[PROTO_EV_CLAIM_ZERO] = PROTO_GO(M, ISSUE_INV, ZERO_LINE),
		[PROTO_EV_CLAIM_RFO]  = PROTO_GO(M, ISSUE_INV),
		[PROTO_EV_OTHER_RD]   = PROTO_GO(SM, SUPPLY),
		[PROTO_EV_OTHER_UPD]  = PROTO_GO(SC, TAKE_UPDATE),
		[PROTO_EV_OTHER_INV]  = PROTO_GO(ABSENT),
	},
	[M] = {
		[PROTO_EV_LOAD]       = PROTO_GO(M),
		[PROTO_EV_STORE]      = PROTO_GO(M),
		[PROTO_EV_EVICT]      = PROTO_GO(ABSENT, WRITE_BACK),
		[PROTO_EV_CLAIM_ZERO] = PROTO_GO(M, ZERO_LINE),
		[PROTO_EV_CLAIM_RFO]  = PROTO_GO(M),
		[PROTO_EV_OTHER_RD]   = PROTO_GO(SM, SUPPLY), /* no memory write */
		[PROTO_EV_OTHER_INV]  = PROTO_GO(ABSENT),
	},
};

const Protocol proto_dragon = {
	.name = "dragon",
	.description = "Dragon: update-based, shared-modified owner writes back",
	.n_states = N_STATES,
	.state_names = names,
	.state_flags = flags,
	.writable_state = M,
	.invalidating = 0,
	.table = &table[0][0],
};
