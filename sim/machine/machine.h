/* machine.h - the simulated machine: N cores' private caches, the snooping
 * bus and physical memory, and the generic coherence controller that runs
 * a protocol table over them (sim/machine/coherence.c).
 *
 * The bus is atomic: a transaction, its snoops and its data transfer happen
 * as one step.  Both engines use this: functional mode calls
 * machine_access() turn by turn, timing mode calls it when the core wins
 * the bus and charges the cycles its outcome says it took.
 *
 * Statistics are plain counters here, named as in shared/spec/stats.md and
 * counted by the rules of shared/spec/protocols.md.
 */
#ifndef LABYRINTH_MACHINE_H
#define LABYRINTH_MACHINE_H

#include <stdint.h>

#include "cache.h"
#include "memory.h"
#include "protocol.h"
#include "input/config.h"

typedef struct {
	uint64_t accesses, hits, misses;
	uint64_t upgrades;  /* BusUpgr this cache issued */
	uint64_t updates;   /* BusUpd this cache issued */
	uint64_t evictions; /* valid lines displaced by a fill */
	uint64_t writebacks;/* dirty ones among them (each one Flush) */
	uint64_t invalidations_received; /* lines lost to another's BusRdX/BusUpgr/BusInv */
	uint64_t c2c_supplied;           /* lines this cache supplied to another */
} CacheStats;

typedef struct {
	uint64_t loads, stores, rmws; /* accesses by kind; sum = the cache's accesses */
} CoreAccessStats;

typedef struct {
	uint64_t txns[BUS_N_TXNS];
} BusStats;

typedef struct {
	uint64_t reads;  /* lines read for BusRd/BusRdX with no owner */
	uint64_t writes; /* write-backs plus M -> S downgrade writes */
} MemStats;

/* Who is using the bus, so the allocator's traffic can be told apart. */
typedef enum {
	CTX_USER,         /* the workload's own accesses */
	CTX_KERNEL_META,  /* allocator metadata: locks, lists, counters */
	CTX_KERNEL_CLAIM, /* the allocator's exclusive claim of a page */
	CTX_N
} AccessContext;

typedef enum { ACC_LOAD, ACC_STORE, ACC_RMW_ADD, ACC_RMW_XCHG, ACC_RMW_CAS } AccessKind;

typedef enum { SRC_NONE, SRC_MEMORY, SRC_CACHE } DataSource;

typedef struct {
	uint16_t cache;
	uint8_t from, to;
} StateChange;

/* What the last access or claim did: for the timing engine's latencies and
 * the event trace.  Valid until the next call into the machine. */
typedef struct {
	int hit;               /* the line was present (accesses only) */
	int n_txns;            /* bus transactions, in order, Flush of a victim included */
	BusTxn txns[6];
	DataSource source;     /* where the line's data came from, if it moved */
	int supplier;          /* the supplying cache when source == SRC_CACHE */
	int n_changes;         /* every state change, in any cache */
	StateChange *changes;  /* PROTO_MAX_ACTIONS * n_cores + 2 entries at most */
	uint64_t line_addr;
	int evicted;           /* a valid victim was displaced by the fill */
	uint64_t victim_addr;  /* its line address, when evicted */
	int claim_zero;        /* a claim that zeroed the line (claim = zero) */
} AccessOutcome;

typedef struct Machine Machine;

Machine *machine_new(const Config *cfg, const Protocol *proto, unsigned n_cores);
void machine_free(Machine *m);
/* For tests: ask every cache on every transaction, as if there were no
 * snoop filter (call before the first access). */
void machine_debug_no_snoop_filter(Machine *m);

unsigned machine_n_cores(const Machine *m);
const Protocol *machine_protocol(const Machine *m);
Memory *machine_memory(Machine *m);
unsigned machine_line_size(const Machine *m);

/* One access by core to the 8-byte word at addr (aligned, checked by the
 * caller).  ld returns the value loaded; st stores a; rmw returns the old
 * value (add: +a; xchg: a; cas: b if old == a).  Every rmw acts as a store. */
uint64_t machine_access(Machine *m, unsigned core, AccessKind kind, uint64_t addr, uint64_t a,
			uint64_t b);
/* The allocator's exclusive claim of one line (protocols.md): the core ends
 * holding it in the writable state, no other cache holds it; with zero the
 * words read as zero.  Not an access: no hit, miss or access is counted. */
void machine_claim_line(Machine *m, unsigned core, uint64_t line_addr, int zero);
/* The same access if it is a hit the protocol settles without the bus
 * (returns 1 and *result); otherwise nothing happens and it returns 0.
 * Timing mode's hit path: one lookup instead of two. */
int machine_access_if_hit(Machine *m, unsigned core, AccessKind kind, uint64_t addr, uint64_t a,
			  uint64_t b, uint64_t *result);
/* Would this access need the bus right now?  (Timing mode asks before it
 * arbitrates; the answer can change by the time it wins.) */
int machine_needs_bus(const Machine *m, unsigned core, AccessKind kind, uint64_t addr);

void machine_set_context(Machine *m, AccessContext ctx);
AccessContext machine_context(const Machine *m);

/* An observer sees every access and claim right after it completes (the
 * invariant checker, the contention report).  kind is the access's kind,
 * or -1 for a claim; value is what a load returned or a store wrote (the
 * new word; for a claim, 0).  The outcome is machine_last_outcome(). */
typedef void (*MachineObserver)(void *data, Machine *m, unsigned core, int kind, uint64_t addr,
				uint64_t value);
void machine_add_observer(Machine *m, MachineObserver fn, void *data);
const AccessOutcome *machine_last_outcome(const Machine *m);

/* Counters. */
const CacheStats *machine_cache_stats(const Machine *m, unsigned core);
const CoreAccessStats *machine_core_access_stats(const Machine *m, unsigned core);
const BusStats *machine_bus_stats(const Machine *m);
const MemStats *machine_mem_stats(const Machine *m);
/* Invalidations received and cache-to-cache transfers, split by the
 * context of the transaction that caused them. */
uint64_t machine_invalidations_in(const Machine *m, AccessContext ctx);
uint64_t machine_c2c_in(const Machine *m, AccessContext ctx);
uint64_t machine_txns_in(const Machine *m, AccessContext ctx);
/* How often each (state, event) row was taken: n_states * PROTO_N_EVENTS. */
const uint64_t *machine_transition_counts(const Machine *m);

/* Inspection for tests, the invariant checker and reports. */
int machine_line_state(const Machine *m, unsigned core, uint64_t line_addr); /* 0 if absent */
/* The word as the core's cache holds it; FALSE if the line is not present. */
int machine_peek_cached(const Machine *m, unsigned core, uint64_t addr, uint64_t *value);
/* The coherent value of a word: the owner's or any valid copy, else memory. */
uint64_t machine_peek_word(const Machine *m, uint64_t addr);

/* Verification (sim/verify/verify_exhaustive.c): one line's whole coherence state,
 * read or set directly, not as simulated traffic.  states[n_cores];
 * words[n_cores * line_words], each cache's copy (zero where it does not
 * hold the line); mem[line_words].  Import needs a free way in each set it
 * fills (the verifier's caches have one set per line). */
void machine_export_line(const Machine *m, uint64_t line_addr, uint8_t *states, uint64_t *words,
			 uint64_t *mem);
void machine_import_line(Machine *m, uint64_t line_addr, const uint8_t *states,
			 const uint64_t *words, const uint64_t *mem);
/* Evicts line_addr from core's cache through its Evict row, as a fill
 * would (counted as an eviction).  Nothing if the line is absent.  Not an
 * access: observers are not told. */
void machine_evict_line(Machine *m, unsigned core, uint64_t line_addr);
/* A (state, event) pair with no row, or a row that breaks the controller's
 * contract (an Evict that does not end not-present, a claim that does not
 * end writable, two suppliers), is an internal error that aborts.  With
 * record on, the first one is kept as text instead and the controller goes
 * on as best it can (a missing row changes nothing, a bad Evict still
 * empties the slot), so the verifiers can report it as a counterexample. */
void machine_set_record_errors(Machine *m, int on);
const char *machine_protocol_error(const Machine *m); /* NULL if none */
void machine_clear_protocol_error(Machine *m);

#endif
