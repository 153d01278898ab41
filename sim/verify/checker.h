/* checker.h - the invariant checker behind `labyrinth run --check` and the
 * random tester.
 *
 * Attached to a machine, it watches every access and claim (an observer,
 * machine.h) and checks the line they touched, and the victim a fill
 * evicted:
 *  - SWMR (invalidation protocols): a cache in a writable state holds the
 *    only valid copy; under any protocol, a cache in an exclusive state
 *    (PROTO_ST_EXCLUSIVE) holds the only valid copy;
 *  - at most one owner (PROTO_ST_OWNER) per line;
 *  - the data value: every load returns the most recent store to that word
 *    in the order the bus serialised them (a shadow copy of every line
 *    touched holds those values); every valid copy holds them too (so
 *    Dragon's copies equal each other after each update); and when no copy
 *    is dirty, memory holds them;
 *  - the rules each transition keeps (checker_check_transition): copies are
 *    lost only to invalidations, lines turn dirty only where written, a
 *    load or store leaves the requester holding the line (writable, for a
 *    store under invalidation), and a load hit changes nothing.
 * The same line check (checker_check_line) is what the exhaustive verifier
 * applies to every state it reaches, so the two cannot disagree about
 * what a violation is.
 *
 * A violation is an internal error: a bug in a protocol table or the
 * controller, never the user's fault.  Its report names the invariant, the
 * line, every cache's state and the last few events.
 */
#ifndef LABYRINTH_CHECKER_H
#define LABYRINTH_CHECKER_H

#include <glib.h>
#include <stdint.h>

#include "protocol.h"
#include "machine/machine.h"

/* The exit status of a run stopped by a violation (cli.md: internal error). */
#define CHECKER_EXIT_STATUS 3

typedef enum {
	CHECKER_EXIT,   /* print the report on stderr and exit(CHECKER_EXIT_STATUS) */
	CHECKER_RECORD, /* keep the first report for checker_status(); stop checking */
} CheckerMode;

#define CHECKER_ERROR (checker_error_quark())
GQuark checker_error_quark(void);
typedef enum {
	CHECKER_ERROR_INVARIANT, /* "invariant violated: ..." */
	CHECKER_ERROR_PROTOCOL,  /* the machine recorded a protocol error (a missing row) */
} CheckerError;

typedef struct Checker Checker;

/* Starts checking m from now on (attach it before the first access).  The
 * checker must outlive the machine's last access. */
Checker *checker_attach(Machine *m, CheckerMode mode);
void checker_free(Checker *ck);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Checker, checker_free)

/* TRUE while nothing was violated; else FALSE with the report in *error.
 * Also reports a protocol error the machine recorded (missing row). */
gboolean checker_status(const Checker *ck, GError **error);
/* Accesses and claims checked so far. */
uint64_t checker_n_checked(const Checker *ck);

/* One line as every cache and memory hold it, and what it should hold. */
typedef struct {
	const Protocol *proto;
	unsigned n_caches;
	unsigned words;           /* 8-byte words per line */
	const uint8_t *states;    /* [n_caches]; 0 = not present */
	const uint64_t *data;     /* [n_caches * words]; ignored where not present */
	const uint64_t *mem;      /* [words] */
	const uint64_t *expected; /* [words]: the most recent store to each word */
} LineSnapshot;

/* NULL if the line keeps every invariant above, else what broke (g_free).
 * *word is set to the word the report is about (0 for state invariants). */
char *checker_check_line(const LineSnapshot *ls, unsigned *word);

/* The kinds of checker_check_transition() beyond AccessKind. */
#define CHECKER_KIND_CLAIM (-1) /* as machine observers are told */
#define CHECKER_KIND_EVICT (-2) /* machine_evict_line() */

/* The rules every transition of protocols.md's tables keeps, checked on
 * the outcome of one access, claim or eviction by core:
 *  - copies are lost only to an invalidating transaction (BusRdX, BusUpgr,
 *    BusInv) or to the cache's own eviction: a BusRd or BusUpd takes no
 *    copy away ("invalidations received" counts exactly those);
 *  - a line becomes dirty only in the cache that writes it (store, rmw,
 *    claim), or passes dirty from cache to cache (M -> O, M -> Sm);
 *  - an owner that changes state on another's BusRd or BusRdX supplied the
 *    data (an owner that keeps its state is not in the outcome: the
 *    exhaustive verifier, which knows the state before, checks those);
 *  - after its load or store the requester holds the line, and under an
 *    invalidation protocol a store or claim leaves it writable (a store is
 *    performed only with write permission);
 *  - a load hit changes nothing (no transaction, no state).
 * final_state is the requester's state for the line afterwards.  NULL if
 * all hold, else what broke (g_free). */
char *checker_check_transition(const Protocol *p, unsigned core, int kind,
			       const AccessOutcome *out, int final_state);

#endif
