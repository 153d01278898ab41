/* protocol.h - the one interface every coherence protocol implements.
 *
 * A protocol is data, not code: a list of stable states and a table that
 * maps (state, event) to a next state and an ordered list of actions.  The
 * generic controller in sim/machine/coherence.c interprets that table for every
 * cache; nothing in the engine knows which protocol it is running.  Adding
 * a protocol means writing one file in protocols/ that defines a Protocol
 * and naming it in protocols/registry.c.
 *
 * Conventions shared by every table:
 *  - state 0 is "not present" (I, or Dragon's absent line);
 *  - a (state, event) pair with no row is a transition that cannot happen;
 *    the controller aborts loudly if it is ever asked for one;
 *  - processor-side rows may issue bus transactions; when the row has a
 *    different next state for a raised shared signal (MESI's I -> E or S),
 *    the signal of the last BusRd or BusUpd the row issued decides;
 *  - snoop-side rows describe what a cache does when another cache's
 *    transaction for a line it holds appears on the bus.
 */
#ifndef LABYRINTH_PROTOCOL_H
#define LABYRINTH_PROTOCOL_H

#include <stdint.h>

/* Bus transactions, named as in Culler & Singh.  BusInv is the data-less
 * invalidation the allocator's exclusive claim uses (dcbz, dc zva). */
typedef enum {
	BUS_RD,   /* read a line; raises the shared signal if others hold it */
	BUS_RDX,  /* read a line for ownership; invalidates other copies */
	BUS_UPGR, /* invalidate other copies of a line the requester holds */
	BUS_UPD,  /* broadcast one written word to the other copies (Dragon) */
	BUS_INV,  /* data-less invalidation: claim a line without fetching it */
	BUS_FLUSH, /* write a dirty line back to memory on eviction */
	BUS_N_TXNS
} BusTxn;

/* What a cache can be asked to do with a line. */
typedef enum {
	/* by its own core */
	PROTO_EV_LOAD,       /* ld, a lock's test load */
	PROTO_EV_STORE,      /* st, rmw, a lock's exchange, unlock */
	PROTO_EV_EVICT,      /* the line is the victim of a fill */
	PROTO_EV_CLAIM_ZERO, /* allocator claim without data: end in the writable state */
	PROTO_EV_CLAIM_RFO,  /* allocator claim that fetches the data for ownership */
	/* seen on the bus, issued by another cache */
	PROTO_EV_OTHER_RD,
	PROTO_EV_OTHER_RDX,
	PROTO_EV_OTHER_UPGR,
	PROTO_EV_OTHER_UPD,
	PROTO_EV_OTHER_INV,
	PROTO_N_EVENTS
} ProtoEvent;

#define PROTO_FIRST_SNOOP_EVENT PROTO_EV_OTHER_RD

/* Actions, executed in the order the row lists them. */
typedef enum {
	PROTO_ACT_NONE = 0,      /* ends an action list */
	/* processor side */
	PROTO_ACT_ISSUE_RD,      /* BusRd; the line's data arrives from the owner or memory */
	PROTO_ACT_ISSUE_RDX,     /* BusRdX; data arrives, other copies are invalidated */
	PROTO_ACT_ISSUE_UPGR,    /* BusUpgr; other copies are invalidated, no data */
	PROTO_ACT_ISSUE_UPD,     /* BusUpd carrying the stored word */
	PROTO_ACT_ISSUE_UPD_IF_SHARED, /* BusUpd, only if the previous BusRd saw sharers */
	PROTO_ACT_ISSUE_INV,     /* BusInv; other copies are invalidated, no data */
	PROTO_ACT_WRITE_BACK,    /* Flush: the dirty line goes to memory */
	PROTO_ACT_ZERO_LINE,     /* the line's words become zero (claim without data) */
	/* snoop side */
	PROTO_ACT_SUPPLY,        /* this cache supplies the line (cache-to-cache) */
	PROTO_ACT_WRITE_MEMORY,  /* memory is updated from this cache, not a Flush */
	PROTO_ACT_TAKE_UPDATE,   /* copy the broadcast word into this cache's line */
	PROTO_N_ACTIONS
} ProtoAction;

#define PROTO_MAX_ACTIONS 3

typedef struct {
	uint8_t defined;     /* 0: this pair cannot happen */
	uint8_t next;        /* next state (shared signal low, or irrelevant) */
	uint8_t next_shared; /* next state when the shared signal is raised */
	uint8_t actions[PROTO_MAX_ACTIONS]; /* PROTO_ACT_*, PROTO_ACT_NONE-terminated */
} ProtoTransition;

/* Properties of a state, used by the invariant checker and the reports. */
enum {
	PROTO_ST_VALID = 1 << 0,    /* the line is present and readable */
	PROTO_ST_WRITABLE = 1 << 1, /* a store hits without the bus (M, E) */
	PROTO_ST_OWNER = 1 << 2,    /* supplies data on a BusRd (M, O, E, F, Sm) */
	PROTO_ST_DIRTY = 1 << 3,    /* differs from memory; evicting writes back */
	PROTO_ST_EXCLUSIVE = 1 << 4 /* no other cache may hold a valid copy */
};

typedef struct Protocol {
	const char *name;        /* as given to --protocol */
	const char *description; /* one line for --help and reports */
	int n_states;
	const char *const *state_names; /* n_states entries; [0] is not-present */
	const uint8_t *state_flags;     /* n_states entries of PROTO_ST_* */
	uint8_t writable_state;         /* the state a claim ends in (M) */
	int invalidating;               /* 1: SWMR holds; 0: update protocol */
	const ProtoTransition *table;   /* n_states * PROTO_N_EVENTS, row-major */
} Protocol;

static inline const ProtoTransition *proto_row(const Protocol *p, int state, ProtoEvent ev)
{
	return &p->table[state * PROTO_N_EVENTS + ev];
}

/* The registry (protocols/registry.c). */
const Protocol *proto_lookup(const char *name); /* NULL if unknown */
const Protocol *const *proto_all(void);          /* NULL-terminated */
const char *proto_names(void);                   /* "msi|mesi|moesi|mesif|dragon" */
const char *proto_event_name(ProtoEvent ev);
const char *proto_action_name(ProtoAction act);
const char *proto_txn_name(BusTxn txn);

/* Each protocol file defines one of these. */
extern const Protocol proto_msi, proto_mesi, proto_moesi, proto_mesif, proto_dragon;

/* Helpers for writing tables that read like tables. */
#define PROTO_ROW(nx, nxs, ...) { 1, (nx), (nxs), { __VA_ARGS__ } }
#define PROTO_GO(nx, ...) PROTO_ROW(nx, nx, __VA_ARGS__)

/* Table files define PROTOCOL_TABLE_FILE before including this header to
 * get the actions' short, verb-first names, so rows read like the spec. */
#ifdef PROTOCOL_TABLE_FILE
#define ISSUE_RD PROTO_ACT_ISSUE_RD
#define ISSUE_RDX PROTO_ACT_ISSUE_RDX
#define ISSUE_UPGR PROTO_ACT_ISSUE_UPGR
#define ISSUE_UPD PROTO_ACT_ISSUE_UPD
#define ISSUE_UPD_IF_SHARED PROTO_ACT_ISSUE_UPD_IF_SHARED
#define ISSUE_INV PROTO_ACT_ISSUE_INV
#define WRITE_BACK PROTO_ACT_WRITE_BACK
#define ZERO_LINE PROTO_ACT_ZERO_LINE
#define SUPPLY PROTO_ACT_SUPPLY
#define WRITE_MEMORY PROTO_ACT_WRITE_MEMORY
#define TAKE_UPDATE PROTO_ACT_TAKE_UPDATE
#endif

#endif
