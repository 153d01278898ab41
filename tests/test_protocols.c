/* test_protocols.c - every row of every table in shared/spec/protocols.md,
 * exercised by a tiny sequence of accesses on a machine of three cores with
 * one-line caches (so an access to line B evicts line A).  The expected
 * final states and counts in each row were worked out by hand from the
 * spec's tables and counting rules.  Every row also checks the data: the
 * last value stored to A is what the machine holds, in every valid copy.
 *
 * Sequence tokens: "<core><op>", op L = load A, S = store A, B = load B.
 */
#include <check.h>
#include <string.h>

#include "protocol.h"
#include "suites.h"
#include "input/config.h"
#include "machine/machine.h"

#define LINE_A 0x1000
#define LINE_B 0x2000

typedef struct {
	const char *proto;
	const char *what; /* the row of the spec's table this exercises */
	const char *seq;
	const char *states; /* final state of line A in caches 0, 1, 2 */
	/* BusRd, BusRdX, BusUpgr, BusUpd, BusInv, Flush, mem reads, mem writes,
	 * c2c transfers, invalidations received (all caches) */
	unsigned c[10];
} Row;

static const Row rows[] = {
	/* MSI */
	{ "msi", "I load -> S", "0L", "S I I", { 1, 0, 0, 0, 0, 0, 1, 0, 0, 0 } },
	{ "msi", "I store -> M", "0S", "M I I", { 0, 1, 0, 0, 0, 0, 1, 0, 0, 0 } },
	{ "msi", "S load hits", "0L 0L", "S I I", { 1, 0, 0, 0, 0, 0, 1, 0, 0, 0 } },
	{ "msi", "S store upgrades", "0L 0S", "M I I", { 1, 0, 1, 0, 0, 0, 1, 0, 0, 0 } },
	{ "msi", "S other BusRd", "0L 1L", "S S I", { 2, 0, 0, 0, 0, 0, 2, 0, 0, 0 } },
	{ "msi", "S other BusRdX", "0L 1S", "I M I", { 1, 1, 0, 0, 0, 0, 2, 0, 0, 1 } },
	{ "msi", "S other BusUpgr", "0L 1L 1S", "I M I", { 2, 0, 1, 0, 0, 0, 2, 0, 0, 1 } },
	{ "msi", "S evict is silent", "0L 0B", "I I I", { 2, 0, 0, 0, 0, 0, 2, 0, 0, 0 } },
	{ "msi", "M load and store hit", "0S 0L 0S", "M I I", { 0, 1, 0, 0, 0, 0, 1, 0, 0, 0 } },
	{ "msi", "M other BusRd", "0S 1L", "S S I", { 1, 1, 0, 0, 0, 0, 1, 1, 1, 0 } },
	{ "msi", "M other BusRdX", "0S 1S", "I M I", { 0, 2, 0, 0, 0, 0, 1, 0, 1, 1 } },
	{ "msi", "M evict writes back", "0S 0B", "I I I", { 1, 1, 0, 0, 0, 1, 2, 1, 0, 0 } },
	/* MESI */
	{ "mesi", "I load alone -> E", "0L", "E I I", { 1, 0, 0, 0, 0, 0, 1, 0, 0, 0 } },
	{ "mesi", "I store -> M", "0S", "M I I", { 0, 1, 0, 0, 0, 0, 1, 0, 0, 0 } },
	{ "mesi", "E other BusRd: supply -> S", "0L 1L", "S S I", { 2, 0, 0, 0, 0, 0, 1, 0, 1, 0 } },
	{ "mesi", "E load hits", "0L 0L", "E I I", { 1, 0, 0, 0, 0, 0, 1, 0, 0, 0 } },
	{ "mesi", "E store -> M without bus", "0L 0S", "M I I", { 1, 0, 0, 0, 0, 0, 1, 0, 0, 0 } },
	{ "mesi", "E other BusRdX", "0L 1S", "I M I", { 1, 1, 0, 0, 0, 0, 1, 0, 1, 1 } },
	{ "mesi", "E evict is silent", "0L 0B", "I I I", { 2, 0, 0, 0, 0, 0, 2, 0, 0, 0 } },
	{ "mesi", "S load hits", "0L 1L 1L", "S S I", { 2, 0, 0, 0, 0, 0, 1, 0, 1, 0 } },
	{ "mesi", "S store upgrades", "0L 1L 0S", "M I I", { 2, 0, 1, 0, 0, 0, 1, 0, 1, 1 } },
	{ "mesi", "S other BusRd: memory supplies", "0L 1L 2L", "S S S", { 3, 0, 0, 0, 0, 0, 2, 0, 1, 0 } },
	{ "mesi", "S other BusRdX", "0L 1L 2S", "I I M", { 2, 1, 0, 0, 0, 0, 2, 0, 1, 2 } },
	{ "mesi", "S other BusUpgr", "0L 1L 1S", "I M I", { 2, 0, 1, 0, 0, 0, 1, 0, 1, 1 } },
	{ "mesi", "S evict is silent", "0L 1L 0B", "I S I", { 3, 0, 0, 0, 0, 0, 2, 0, 1, 0 } },
	{ "mesi", "M hits", "0S 0L 0S", "M I I", { 0, 1, 0, 0, 0, 0, 1, 0, 0, 0 } },
	{ "mesi", "M other BusRd: write memory", "0S 1L", "S S I", { 1, 1, 0, 0, 0, 0, 1, 1, 1, 0 } },
	{ "mesi", "M other BusRdX", "0S 1S", "I M I", { 0, 2, 0, 0, 0, 0, 1, 0, 1, 1 } },
	{ "mesi", "M evict writes back", "0S 0B", "I I I", { 1, 1, 0, 0, 0, 1, 2, 1, 0, 0 } },
	/* MOESI */
	{ "moesi", "I load alone -> E", "0L", "E I I", { 1, 0, 0, 0, 0, 0, 1, 0, 0, 0 } },
	{ "moesi", "I load shared -> S", "0L 1L", "S S I", { 2, 0, 0, 0, 0, 0, 1, 0, 1, 0 } },
	{ "moesi", "I store -> M", "0S", "M I I", { 0, 1, 0, 0, 0, 0, 1, 0, 0, 0 } },
	{ "moesi", "E store -> M without bus", "0L 0S", "M I I", { 1, 0, 0, 0, 0, 0, 1, 0, 0, 0 } },
	{ "moesi", "E other BusRdX", "0L 1S", "I M I", { 1, 1, 0, 0, 0, 0, 1, 0, 1, 1 } },
	{ "moesi", "E evict is silent", "0L 0B", "I I I", { 2, 0, 0, 0, 0, 0, 2, 0, 0, 0 } },
	{ "moesi", "S store upgrades", "0L 1L 0S", "M I I", { 2, 0, 1, 0, 0, 0, 1, 0, 1, 1 } },
	{ "moesi", "S other BusRdX", "0L 1L 2S", "I I M", { 2, 1, 0, 0, 0, 0, 2, 0, 1, 2 } },
	{ "moesi", "M other BusRd -> O, no memory write", "0S 1L", "O S I", { 1, 1, 0, 0, 0, 0, 1, 0, 1, 0 } },
	{ "moesi", "M other BusRdX", "0S 1S", "I M I", { 0, 2, 0, 0, 0, 0, 1, 0, 1, 1 } },
	{ "moesi", "M evict writes back", "0S 0B", "I I I", { 1, 1, 0, 0, 0, 1, 2, 1, 0, 0 } },
	{ "moesi", "O load hits", "0S 1L 0L", "O S I", { 1, 1, 0, 0, 0, 0, 1, 0, 1, 0 } },
	{ "moesi", "O store upgrades", "0S 1L 0S", "M I I", { 1, 1, 1, 0, 0, 0, 1, 0, 1, 1 } },
	{ "moesi", "O other BusRd: supply, stays O", "0S 1L 2L", "O S S", { 2, 1, 0, 0, 0, 0, 1, 0, 2, 0 } },
	{ "moesi", "O other BusRdX", "0S 1L 2S", "I I M", { 1, 2, 0, 0, 0, 0, 1, 0, 2, 2 } },
	{ "moesi", "O other BusUpgr", "0S 1L 1S", "I M I", { 1, 1, 1, 0, 0, 0, 1, 0, 1, 1 } },
	{ "moesi", "O evict writes back", "0S 1L 0B", "I S I", { 2, 1, 0, 0, 0, 1, 2, 1, 1, 0 } },
	/* MESIF */
	{ "mesif", "I load alone -> E", "0L", "E I I", { 1, 0, 0, 0, 0, 0, 1, 0, 0, 0 } },
	{ "mesif", "I load shared -> F", "0L 1L", "S F I", { 2, 0, 0, 0, 0, 0, 1, 0, 1, 0 } },
	{ "mesif", "I store -> M", "0S", "M I I", { 0, 1, 0, 0, 0, 0, 1, 0, 0, 0 } },
	{ "mesif", "E store -> M without bus", "0L 0S", "M I I", { 1, 0, 0, 0, 0, 0, 1, 0, 0, 0 } },
	{ "mesif", "E other BusRdX", "0L 1S", "I M I", { 1, 1, 0, 0, 0, 0, 1, 0, 1, 1 } },
	{ "mesif", "F load hits", "0L 1L 1L", "S F I", { 2, 0, 0, 0, 0, 0, 1, 0, 1, 0 } },
	{ "mesif", "F store upgrades", "0L 1L 1S", "I M I", { 2, 0, 1, 0, 0, 0, 1, 0, 1, 1 } },
	{ "mesif", "F other BusRd: supply -> S", "0L 1L 2L", "S S F", { 3, 0, 0, 0, 0, 0, 1, 0, 2, 0 } },
	{ "mesif", "F other BusRdX", "0L 1L 2S", "I I M", { 2, 1, 0, 0, 0, 0, 1, 0, 2, 2 } },
	{ "mesif", "F other BusUpgr (S store)", "0L 1L 0S", "M I I", { 2, 0, 1, 0, 0, 0, 1, 0, 1, 1 } },
	{ "mesif", "F evict is silent", "0L 1L 1B", "S I I", { 3, 0, 0, 0, 0, 0, 2, 0, 1, 0 } },
	{ "mesif", "only S left: memory supplies, reader F", "0L 1L 1B 2L", "S I F", { 4, 0, 0, 0, 0, 0, 3, 0, 1, 0 } },
	{ "mesif", "M other BusRd: write memory", "0S 1L", "S F I", { 1, 1, 0, 0, 0, 0, 1, 1, 1, 0 } },
	{ "mesif", "M other BusRdX", "0S 1S", "I M I", { 0, 2, 0, 0, 0, 0, 1, 0, 1, 1 } },
	{ "mesif", "M evict writes back", "0S 0B", "I I I", { 1, 1, 0, 0, 0, 1, 2, 1, 0, 0 } },
	/* Dragon ("-" is an absent line) */
	{ "dragon", "absent load alone -> E", "0L", "E - -", { 1, 0, 0, 0, 0, 0, 1, 0, 0, 0 } },
	{ "dragon", "absent load shared -> Sc", "0L 1L", "Sc Sc -", { 2, 0, 0, 0, 0, 0, 1, 0, 1, 0 } },
	{ "dragon", "absent store alone -> M", "0S", "M - -", { 1, 0, 0, 0, 0, 0, 1, 0, 0, 0 } },
	{ "dragon", "absent store shared: BusRd, BusUpd -> Sm", "0L 1S", "Sc Sm -", { 2, 0, 0, 1, 0, 0, 1, 0, 1, 0 } },
	{ "dragon", "E store -> M without bus", "0L 0S", "M - -", { 1, 0, 0, 0, 0, 0, 1, 0, 0, 0 } },
	{ "dragon", "E evict is silent", "0L 0B", "- - -", { 2, 0, 0, 0, 0, 0, 2, 0, 0, 0 } },
	{ "dragon", "Sc load hits", "0L 1L 1L", "Sc Sc -", { 2, 0, 0, 0, 0, 0, 1, 0, 1, 0 } },
	{ "dragon", "Sc store shared -> Sm; other Sc takes the word", "0L 1L 1S", "Sc Sm -", { 2, 0, 0, 1, 0, 0, 1, 0, 1, 0 } },
	{ "dragon", "Sc store alone: BusUpd -> M", "0L 1L 0B 1S", "- M -", { 3, 0, 0, 1, 0, 0, 2, 0, 1, 0 } },
	{ "dragon", "Sc other BusRd: memory supplies", "0L 1L 2L", "Sc Sc Sc", { 3, 0, 0, 0, 0, 0, 2, 0, 1, 0 } },
	{ "dragon", "Sm load hits", "0L 1S 1L", "Sc Sm -", { 2, 0, 0, 1, 0, 0, 1, 0, 1, 0 } },
	{ "dragon", "Sm store shared stays Sm", "0L 1S 1S", "Sc Sm -", { 2, 0, 0, 2, 0, 0, 1, 0, 1, 0 } },
	{ "dragon", "Sm store alone -> M", "0L 1S 0B 1S", "- M -", { 3, 0, 0, 2, 0, 0, 2, 0, 1, 0 } },
	{ "dragon", "Sm other BusRd: supply, stays Sm", "0L 1S 2L", "Sc Sm Sc", { 3, 0, 0, 1, 0, 0, 1, 0, 2, 0 } },
	{ "dragon", "Sm other BusUpd -> Sc", "0L 1S 0S", "Sm Sc -", { 2, 0, 0, 2, 0, 0, 1, 0, 1, 0 } },
	{ "dragon", "Sm evict writes back", "0L 1S 1B", "Sc - -", { 3, 0, 0, 1, 0, 1, 2, 1, 1, 0 } },
	{ "dragon", "M hits", "0S 0L 0S", "M - -", { 1, 0, 0, 0, 0, 0, 1, 0, 0, 0 } },
	{ "dragon", "M other BusRd -> Sm, no memory write", "0S 1L", "Sm Sc -", { 2, 0, 0, 0, 0, 0, 1, 0, 1, 0 } },
	{ "dragon", "M evict writes back", "0S 0B", "- - -", { 2, 0, 0, 0, 0, 1, 2, 1, 0, 0 } },
};

/* Three cores, one 64-byte line per cache: any other line evicts A. */
static Machine *tiny_machine(const char *proto_name, unsigned lines_per_cache)
{
	Config cfg;
	config_init(&cfg);
	cfg.cache_size = 64 * lines_per_cache;
	cfg.assoc = lines_per_cache;
	cfg.line = 64;
	const Protocol *p = proto_lookup(proto_name);
	ck_assert_ptr_nonnull(p);
	Machine *m = machine_new(&cfg, p, 3);
	config_clear(&cfg);
	return m;
}

static void check_data_invariant(const Machine *m, uint64_t addr, uint64_t want, const char *what)
{
	ck_assert_msg(machine_peek_word(m, addr) == want, "%s: coherent value %llu, want %llu", what,
		      (unsigned long long)machine_peek_word(m, addr), (unsigned long long)want);
	for (unsigned c = 0; c < 3; c++) {
		uint64_t v;
		if (machine_peek_cached(m, c, addr, &v))
			ck_assert_msg(v == want, "%s: cache %u holds %llu, want %llu", what, c,
				      (unsigned long long)v, (unsigned long long)want);
	}
}

START_TEST(test_table_row)
{
	const Row *row = &rows[_i];
	Machine *m = tiny_machine(row->proto, 1);
	const Protocol *p = machine_protocol(m);
	uint64_t last_stored = 0, step = 0;

	g_auto(GStrv) toks = g_strsplit(row->seq, " ", -1);
	for (char **t = toks; *t; t++) {
		unsigned core = (unsigned)((*t)[0] - '0');
		step++;
		switch ((*t)[1]) {
		case 'L': {
			uint64_t v = machine_access(m, core, ACC_LOAD, LINE_A + 8, 0, 0);
			ck_assert_msg(v == last_stored, "%s %s: step %llu loaded %llu, want %llu",
				      row->proto, row->what, (unsigned long long)step,
				      (unsigned long long)v, (unsigned long long)last_stored);
			break;
		}
		case 'S':
			last_stored = 100 + step;
			machine_access(m, core, ACC_STORE, LINE_A + 8, last_stored, 0);
			break;
		case 'B':
			machine_access(m, core, ACC_LOAD, LINE_B, 0, 0);
			break;
		default:
			ck_abort_msg("bad token %s", *t);
		}
	}

	g_auto(GStrv) want = g_strsplit(row->states, " ", -1);
	for (unsigned c = 0; c < 3; c++) {
		const char *got = p->state_names[machine_line_state(m, c, LINE_A)];
		ck_assert_msg(strcmp(got, want[c]) == 0, "%s %s: cache %u is %s, want %s",
			      row->proto, row->what, c, got, want[c]);
	}

	const BusStats *bus = machine_bus_stats(m);
	const MemStats *mem = machine_mem_stats(m);
	uint64_t c2c = 0, inv = 0;
	for (unsigned c = 0; c < 3; c++) {
		c2c += machine_cache_stats(m, c)->c2c_supplied;
		inv += machine_cache_stats(m, c)->invalidations_received;
	}
	uint64_t got[10] = { bus->txns[BUS_RD], bus->txns[BUS_RDX], bus->txns[BUS_UPGR],
			     bus->txns[BUS_UPD], bus->txns[BUS_INV], bus->txns[BUS_FLUSH],
			     mem->reads, mem->writes, c2c, inv };
	static const char *const names[10] = { "BusRd", "BusRdX", "BusUpgr", "BusUpd", "BusInv",
					       "Flush", "memory reads", "memory writes", "c2c",
					       "invalidations" };
	for (int i = 0; i < 10; i++)
		ck_assert_msg(got[i] == row->c[i], "%s %s: %s = %llu, want %u", row->proto,
			      row->what, names[i], (unsigned long long)got[i], row->c[i]);
	check_data_invariant(m, LINE_A + 8, last_stored, row->what);
	machine_free(m);
}
END_TEST

/* Hit/miss/upgrade/update accounting of one cache, by the counting rules. */
START_TEST(test_counting_rules)
{
	Machine *m = tiny_machine("dragon", 4);
	/* A Dragon store miss is one miss and no hit; its BusUpd counts. */
	machine_access(m, 0, ACC_LOAD, LINE_A, 0, 0);
	machine_access(m, 1, ACC_STORE, LINE_A, 5, 0);
	const CacheStats *s1 = machine_cache_stats(m, 1);
	ck_assert_uint_eq(s1->accesses, 1);
	ck_assert_uint_eq(s1->misses, 1);
	ck_assert_uint_eq(s1->hits, 0);
	ck_assert_uint_eq(s1->updates, 1);
	machine_free(m);

	m = tiny_machine("msi", 4);
	/* MSI: a store hit on S upgrades even with no other copy. */
	machine_access(m, 0, ACC_LOAD, LINE_A, 0, 0);
	machine_access(m, 0, ACC_RMW_CAS, LINE_A, 7, 9); /* fails, still a store */
	const CacheStats *s0 = machine_cache_stats(m, 0);
	ck_assert_uint_eq(s0->hits, 1);
	ck_assert_uint_eq(s0->upgrades, 1);
	ck_assert_uint_eq(machine_core_access_stats(m, 0)->rmws, 1);
	ck_assert_int_eq(machine_line_state(m, 0, LINE_A), 2); /* M */
	ck_assert_uint_eq(machine_access(m, 0, ACC_LOAD, LINE_A, 0, 0), 0);
	machine_free(m);
}
END_TEST

START_TEST(test_rmw_values)
{
	Machine *m = tiny_machine("mesi", 4);
	ck_assert_uint_eq(machine_access(m, 0, ACC_RMW_ADD, LINE_A, 5, 0), 0);
	ck_assert_uint_eq(machine_access(m, 1, ACC_RMW_ADD, LINE_A, 3, 0), 5);
	ck_assert_uint_eq(machine_access(m, 2, ACC_RMW_XCHG, LINE_A, 1, 0), 8);
	ck_assert_uint_eq(machine_access(m, 0, ACC_RMW_CAS, LINE_A, 2, 9), 1); /* fails */
	ck_assert_uint_eq(machine_access(m, 1, ACC_RMW_CAS, LINE_A, 1, 9), 1); /* succeeds */
	ck_assert_uint_eq(machine_access(m, 2, ACC_LOAD, LINE_A, 0, 0), 9);
	machine_free(m);
}
END_TEST

/* The allocator's claim: the claimer ends in M, nobody else holds the
 * line; claim = zero zeroes it without reading, rfo keeps the data. */
typedef struct {
	const char *proto;
	int zero;
	unsigned bus_inv, bus_upgr, bus_rdx, bus_rd; /* of the claim alone */
	uint64_t value;                              /* the word afterwards */
} ClaimRow;

static const ClaimRow claim_rows[] = {
	/* core 1 holds A dirty, core 2 holds a copy; core 0 claims it. */
	{ "msi", 1, 1, 0, 0, 0, 0 },	{ "msi", 0, 0, 0, 1, 0, 42 },
	{ "mesi", 1, 1, 0, 0, 0, 0 },	{ "mesi", 0, 0, 0, 1, 0, 42 },
	{ "moesi", 1, 1, 0, 0, 0, 0 },	{ "moesi", 0, 0, 0, 1, 0, 42 },
	{ "mesif", 1, 1, 0, 0, 0, 0 },	{ "mesif", 0, 0, 0, 1, 0, 42 },
	{ "dragon", 1, 1, 0, 0, 0, 0 }, { "dragon", 0, 1, 0, 0, 1, 42 },
};

START_TEST(test_claim)
{
	const ClaimRow *row = &claim_rows[_i];
	Machine *m = tiny_machine(row->proto, 4);
	machine_access(m, 1, ACC_STORE, LINE_A, 42, 0);
	machine_access(m, 2, ACC_LOAD, LINE_A, 0, 0);
	BusStats before = *machine_bus_stats(m);
	machine_claim_line(m, 0, LINE_A, row->zero);
	const BusStats *after = machine_bus_stats(m);
	ck_assert_uint_eq(after->txns[BUS_INV] - before.txns[BUS_INV], row->bus_inv);
	ck_assert_uint_eq(after->txns[BUS_UPGR] - before.txns[BUS_UPGR], row->bus_upgr);
	ck_assert_uint_eq(after->txns[BUS_RDX] - before.txns[BUS_RDX], row->bus_rdx);
	ck_assert_uint_eq(after->txns[BUS_RD] - before.txns[BUS_RD], row->bus_rd);
	const Protocol *p = machine_protocol(m);
	ck_assert_int_eq(machine_line_state(m, 0, LINE_A), p->writable_state);
	ck_assert_int_eq(machine_line_state(m, 1, LINE_A), 0);
	ck_assert_int_eq(machine_line_state(m, 2, LINE_A), 0);
	ck_assert_uint_eq(machine_access(m, 0, ACC_LOAD, LINE_A, 0, 0), row->value);
	/* A claim is not an access. */
	ck_assert_uint_eq(machine_cache_stats(m, 0)->accesses, 1);
	machine_free(m);
}
END_TEST

/* A claim of a line the claimer holds shared upgrades it (BusInv under Dragon). */
START_TEST(test_claim_from_shared)
{
	static const char *const protos[] = { "msi", "mesi", "moesi", "mesif", "dragon" };
	for (int i = 0; i < 5; i++) {
		Machine *m = tiny_machine(protos[i], 4);
		machine_access(m, 0, ACC_LOAD, LINE_A, 0, 0);
		machine_access(m, 1, ACC_LOAD, LINE_A, 0, 0);
		BusStats before = *machine_bus_stats(m);
		machine_claim_line(m, 0, LINE_A, 1);
		const BusStats *after = machine_bus_stats(m);
		int dragon = strcmp(protos[i], "dragon") == 0;
		ck_assert_uint_eq(after->txns[BUS_UPGR] - before.txns[BUS_UPGR], dragon ? 0 : 1);
		ck_assert_uint_eq(after->txns[BUS_INV] - before.txns[BUS_INV], dragon ? 1 : 0);
		ck_assert_int_eq(machine_line_state(m, 1, LINE_A), 0);
		ck_assert_uint_eq(machine_cache_stats(m, 1)->invalidations_received, 1);
		machine_free(m);
	}
}
END_TEST

/* Every protocol's table: each state's load row exists, evicting a valid
 * state ends not present, and state 0 is not valid. */
START_TEST(test_table_shape)
{
	for (const Protocol *const *pp = proto_all(); *pp; pp++) {
		const Protocol *p = *pp;
		ck_assert_int_eq(p->state_flags[0] & PROTO_ST_VALID, 0);
		for (int s = 0; s < p->n_states; s++) {
			ck_assert_msg(proto_row(p, s, PROTO_EV_LOAD)->defined, "%s %s load", p->name,
				      p->state_names[s]);
			ck_assert(proto_row(p, s, PROTO_EV_STORE)->defined);
			ck_assert(proto_row(p, s, PROTO_EV_CLAIM_ZERO)->defined);
			if (s == 0)
				continue;
			const ProtoTransition *ev = proto_row(p, s, PROTO_EV_EVICT);
			ck_assert(ev->defined && ev->next == 0);
			int wb = ev->actions[0] == PROTO_ACT_WRITE_BACK;
			ck_assert_msg(wb == !!(p->state_flags[s] & PROTO_ST_DIRTY),
				      "%s: evicting %s writes back iff dirty", p->name,
				      p->state_names[s]);
		}
	}
	ck_assert_ptr_null(proto_lookup("mosi"));
	ck_assert_ptr_eq(proto_lookup("moesi"), &proto_moesi);
}
END_TEST

/* The snoop filter changes which caches are asked, never the answer: a
 * random 16-core run gives the same counts and values with and without. */
START_TEST(test_snoop_filter_exact)
{
	Config cfg;
	config_init(&cfg);
	cfg.cache_size = 1024; /* 16 lines, 2 ways: evictions race with sharing */
	cfg.assoc = 2;
	Machine *a = machine_new(&cfg, proto_lookup(proto_all()[_i]->name), 16);
	Machine *b = machine_new(&cfg, proto_lookup(proto_all()[_i]->name), 16);
	machine_debug_no_snoop_filter(b);
	GRand *rng = g_rand_new_with_seed(42);
	for (int n = 0; n < 200000; n++) {
		unsigned core = (unsigned)g_rand_int_range(rng, 0, 16);
		uint64_t addr = (uint64_t)g_rand_int_range(rng, 0, 64) * 64 +
				(uint64_t)g_rand_int_range(rng, 0, 8) * 8;
		AccessKind kind = g_rand_int_range(rng, 0, 3) == 0 ? ACC_STORE : ACC_LOAD;
		uint64_t va = machine_access(a, core, kind, addr, (uint64_t)n, 0);
		uint64_t vb = machine_access(b, core, kind, addr, (uint64_t)n, 0);
		ck_assert_uint_eq(va, vb);
	}
	for (unsigned c = 0; c < 16; c++)
		ck_assert(memcmp(machine_cache_stats(a, c), machine_cache_stats(b, c),
				 sizeof(CacheStats)) == 0);
	ck_assert(memcmp(machine_bus_stats(a), machine_bus_stats(b), sizeof(BusStats)) == 0);
	ck_assert(memcmp(machine_mem_stats(a), machine_mem_stats(b), sizeof(MemStats)) == 0);
	g_rand_free(rng);
	machine_free(a);
	machine_free(b);
	config_clear(&cfg);
}
END_TEST

Suite *suite_protocols(void)
{
	Suite *s = suite_create("protocols");
	TCase *tc = tcase_create("tables");
	tcase_add_loop_test(tc, test_table_row, 0, G_N_ELEMENTS(rows));
	tcase_add_test(tc, test_counting_rules);
	tcase_add_test(tc, test_rmw_values);
	tcase_add_loop_test(tc, test_claim, 0, G_N_ELEMENTS(claim_rows));
	tcase_add_test(tc, test_claim_from_shared);
	tcase_add_test(tc, test_table_shape);
	tcase_add_loop_test(tc, test_snoop_filter_exact, 0, 5);
	suite_add_tcase(s, tc);
	return s;
}
