/* machine_priv.h - the inside of Machine, shared by machine.c (building and
 * inspecting it) and coherence.c (the controller).  No one else includes it. */
#ifndef LABYRINTH_MACHINE_PRIV_H
#define LABYRINTH_MACHINE_PRIV_H

#include "machine.h"
#include "snoopfilter.h"

struct Machine {
	const Protocol *proto;
	unsigned n_cores;
	unsigned line;       /* bytes */
	unsigned line_words; /* line / 8 */
	uint64_t line_mask;  /* ~(line - 1) */
	Cache **caches;      /* [n_cores] */
	SnoopFilter *sf;     /* who holds what; NULL for small or very large machines */
	Memory *mem;
	CacheStats *cstats;  /* [n_cores] */
	CoreAccessStats *astats; /* [n_cores] */
	BusStats bus;
	MemStats memstats;
	AccessContext ctx;
	uint64_t inv_by_ctx[CTX_N];
	uint64_t c2c_by_ctx[CTX_N];
	uint64_t txns_by_ctx[CTX_N];
	uint64_t *trans_counts; /* [n_states * PROTO_N_EVENTS] */
	AccessOutcome out;
	int record_errors;       /* machine_set_record_errors() */
	char *proto_error;       /* the first recorded protocol error, or NULL */
	ProtoTransition fallback; /* the row a recorded missing row stands for */
	/* Who watches every access (machine_add_observer): as many as attach,
	 * grown by doubling; the access path reads only n_observers until one
	 * is there. */
	unsigned n_observers, observers_cap;
	struct MachineObserverSlot {
		MachineObserver fn;
		void *data;
	} *observers; /* [observers_cap] */
};

#endif
