/* verify_exhaustive.h - `labyrinth verify exhaustive`: every reachable state
 * of a protocol table, in the spirit of Murphi.
 *
 * A state is, for each line, every cache's protocol state and the abstract
 * value its copy holds, memory's value, and the value of the last store
 * (values 0 .. values-1).  From the state where no cache holds anything and
 * every value is 0, a breadth-first search applies every event by every
 * cache to every line: a load, a store of each value, an eviction (of a
 * line the cache holds) and, unless turned off, the allocator's two claims
 * (zero and rfo).  Each event runs on the real Machine (sim/machine/coherence.c,
 * the controller the simulator runs) loaded with the state through
 * machine_import_line(), so model and simulator cannot drift apart.  After
 * each event the line is checked with checker_check_line() (the invariants
 * of `run --check`), plus: the load returned the last store's value, an
 * owner that saw a BusRd or BusRdX supplied the data, and the controller
 * recorded no protocol error (a (state, event) pair with no row).  The
 * first violation found is reached by a shortest sequence of events.
 */
#ifndef LABYRINTH_VERIFY_EXHAUSTIVE_H
#define LABYRINTH_VERIFY_EXHAUSTIVE_H

#include <glib.h>
#include <stdint.h>

#include "protocol.h"

#define VX_MAX_CORES 6
#define VX_MAX_LINES 4
#define VX_MAX_VALUES 8

typedef struct {
	const Protocol *proto;
	unsigned cores;       /* 1 .. VX_MAX_CORES */
	unsigned lines;       /* 1 .. VX_MAX_LINES */
	unsigned values;      /* 1 .. VX_MAX_VALUES abstract data values */
	gboolean no_claims;   /* leave the allocator's claims out */
	uint64_t max_states;  /* stop with an error beyond this many (0: no limit) */
} VxOptions;

typedef struct {
	uint64_t states;      /* distinct reachable states */
	uint64_t transitions; /* (state, event) pairs applied */
	unsigned depth;       /* events on the longest shortest path explored */
	char *violation;      /* NULL: no violation; else what broke */
	char *trace;          /* the shortest event sequence reaching it, one per line */
	unsigned trace_len;   /* events in it */
	/* How often each (state, event) row of the table ran: n_states *
	 * PROTO_N_EVENTS, as machine_transition_counts() counts them. */
	uint64_t *row_counts;
} VxResult;

#define VX_ERROR (vx_error_quark())
GQuark vx_error_quark(void);
typedef enum {
	VX_ERROR_OPTION, /* a bound out of range, or the state too large to encode */
	VX_ERROR_LIMIT,  /* more than max_states states */
} VxError;

/* Explores the state space.  TRUE when the search completed, with or
 * without a violation (see result->violation); FALSE for a bad option or
 * the state limit.  Clear the result with vx_result_clear(). */
gboolean vx_run(const VxOptions *opts, VxResult *result, GError **error);
void vx_result_clear(VxResult *result);

#endif
