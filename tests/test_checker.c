/* test_checker.c - the invariant checker (sim/verify/checker.c).
 *
 * First the line invariants alone, as rows of (protocol, states, data,
 * memory, last store) and the invariant expected to break, or none.  Then
 * the checker attached to a real machine: correct tables run sequences with
 * evictions, rmws and claims without a report; tables broken by hand (a
 * dropped invalidation, supply or write-back, a missing row) are caught
 * with a report naming the invariant, the line, the caches and the events.
 */
#include <check.h>
#include <string.h>

#include "mutant.h"
#include "suites.h"
#include "input/config.h"
#include "machine/machine.h"
#include "verify/checker.h"

#define LINE_A 0x1000
#define LINE_B 0x2000

/* ---- checker_check_line, row by row ---- */

typedef struct {
	const char *proto;
	const char *states; /* one name per cache, blank-separated */
	uint64_t data[3];   /* word 0 of each cache's copy */
	uint64_t mem, expected;
	const char *broken; /* the report's prefix, or NULL: no violation */
} LineRow;

static const LineRow line_rows[] = {
	{ "msi", "M I I", { 5, 0, 0 }, 0, 5, NULL },
	{ "msi", "S S S", { 5, 5, 5 }, 5, 5, NULL },
	{ "msi", "M S I", { 5, 5, 0 }, 5, 5, "SWMR: cache 0" },
	{ "mesi", "S E I", { 5, 5, 0 }, 5, 5, "SWMR: cache 1" },
	{ "mesi", "S S I", { 5, 4, 0 }, 5, 5, "data value: cache 1 (S) holds 4" },
	{ "mesi", "S S I", { 5, 5, 0 }, 4, 5, "data value: no cache holds the line dirty" },
	{ "mesi", "I I I", { 0, 0, 0 }, 4, 5, "data value: no cache holds the line dirty" },
	{ "mesi", "E I I", { 5, 0, 0 }, 4, 5, "data value: no cache holds the line dirty" },
	{ "moesi", "O S S", { 5, 5, 5 }, 4, 5, NULL },
	{ "moesi", "O O I", { 5, 5, 0 }, 4, 5, "single owner: caches 0 (O) and 1 (O)" },
	{ "mesif", "F S S", { 5, 5, 5 }, 5, 5, NULL },
	{ "mesif", "F F I", { 5, 5, 0 }, 5, 5, "single owner" },
	{ "dragon", "Sm Sc Sc", { 5, 5, 5 }, 1, 5, NULL },
	{ "dragon", "Sm Sc Sc", { 5, 5, 4 }, 1, 5, "data value: cache 2 (Sc) holds 4" },
	{ "dragon", "Sc Sc -", { 5, 5, 0 }, 4, 5, "data value: no cache holds the line dirty" },
	{ "dragon", "E Sc -", { 5, 5, 0 }, 5, 5, "exclusive: cache 0 holds the line in E" },
	{ "dragon", "Sm Sm -", { 5, 5, 0 }, 1, 5, "single owner" },
};

START_TEST(test_line_invariants)
{
	const LineRow *r = &line_rows[_i];
	const Protocol *p = proto_lookup(r->proto);
	ck_assert_ptr_nonnull(p);
	uint8_t states[3];
	g_auto(GStrv) names = g_strsplit(r->states, " ", -1);
	ck_assert_uint_eq(g_strv_length(names), 3);
	for (int i = 0; i < 3; i++) {
		int s = mutant_state(p, names[i]);
		ck_assert_int_ge(s, 0);
		states[i] = (uint8_t)s;
	}
	LineSnapshot ls = { p, 3, 1, states, r->data, &r->mem, &r->expected };
	unsigned word;
	g_autofree char *what = checker_check_line(&ls, &word);
	if (!r->broken)
		ck_assert_msg(what == NULL, "%s %s: unexpected report: %s", r->proto, r->states, what);
	else
		ck_assert_msg(what && g_str_has_prefix(what, r->broken), "%s %s: expected '%s', got '%s'",
			      r->proto, r->states, r->broken, what ? what : "(none)");
}
END_TEST

/* ---- The checker on a machine ---- */

/* Three cores with one-line caches of 64 bytes: touching B evicts A. */
static Machine *tiny_machine(const Protocol *p)
{
	g_auto(Config) cfg = { 0 };
	config_init(&cfg);
	cfg.cache_size = 64;
	cfg.assoc = 1;
	cfg.line = 64;
	return machine_new(&cfg, p, 3);
}

/* Runs a sequence of "<core><op>" tokens: L load A, S store A (values 1,
 * 2, ...), W store to A's second word, B load B, Z claim A zero, R claim
 * A rfo, X rmw add A 1, C rmw cas A. */
static void run_seq(Machine *m, const char *seq)
{
	g_auto(GStrv) toks = g_strsplit(seq, " ", -1);
	uint64_t v = 0;
	for (char **t = toks; *t; t++) {
		unsigned c = (unsigned)((*t)[0] - '0');
		switch ((*t)[1]) {
		case 'L':
			machine_access(m, c, ACC_LOAD, LINE_A, 0, 0);
			break;
		case 'S':
			machine_access(m, c, ACC_STORE, LINE_A, ++v, 0);
			break;
		case 'W':
			machine_access(m, c, ACC_STORE, LINE_A + 8, ++v, 0);
			break;
		case 'B':
			machine_access(m, c, ACC_LOAD, LINE_B, 0, 0);
			break;
		case 'Z':
			machine_claim_line(m, c, LINE_A, 1);
			break;
		case 'R':
			machine_claim_line(m, c, LINE_A, 0);
			break;
		case 'X':
			machine_access(m, c, ACC_RMW_ADD, LINE_A, 1, 0);
			break;
		case 'C':
			machine_access(m, c, ACC_RMW_CAS, LINE_A, v, v + 100);
			break;
		default:
			ck_abort_msg("bad token %s", *t);
		}
	}
}

/* Every protocol, a sequence that visits every state, evicts clean and
 * dirty lines, and claims: no report, and every access was checked. */
static const char *const clean_seq =
	"0L 1L 2L 0S 1L 2S 0L 1X 2C 0W 1B 2L 0S 0B 1S 2B 0L 1Z 2L 0R 1S 2R 0L 1B 2B 0B 0L";

START_TEST(test_correct_tables_pass)
{
	const Protocol *p = proto_all()[_i];
	Machine *m = tiny_machine(p);
	Checker *ck = checker_attach(m, CHECKER_RECORD);
	run_seq(m, clean_seq);
	g_autoptr(GError) err = NULL;
	ck_assert_msg(checker_status(ck, &err), "%s: %s", p->name, err ? err->message : "");
	ck_assert_uint_eq(checker_n_checked(ck), 27);
	checker_free(ck);
	machine_free(m);
}
END_TEST

/* A claim zero makes the line read 0; rfo keeps it (the shadow follows). */
START_TEST(test_claims_update_the_shadow)
{
	Machine *m = tiny_machine(&proto_mesi);
	Checker *ck = checker_attach(m, CHECKER_RECORD);
	machine_access(m, 0, ACC_STORE, LINE_A, 42, 0);
	machine_claim_line(m, 1, LINE_A, 0);
	ck_assert_uint_eq(machine_access(m, 2, ACC_LOAD, LINE_A, 0, 0), 42);
	machine_claim_line(m, 0, LINE_A, 1);
	ck_assert_uint_eq(machine_access(m, 1, ACC_LOAD, LINE_A + 8, 0, 0), 0);
	ck_assert(checker_status(ck, NULL));
	checker_free(ck);
	machine_free(m);
}
END_TEST

/* Runs seq on a machine of the mutant and returns the checker's report. */
static char *report_for(Mutant *mu, const char *seq)
{
	Machine *m = tiny_machine(&mu->proto);
	machine_set_record_errors(m, TRUE);
	Checker *ck = checker_attach(m, CHECKER_RECORD);
	run_seq(m, seq);
	GError *err = NULL;
	ck_assert(!checker_status(ck, &err));
	ck_assert(err->domain == CHECKER_ERROR);
	char *msg = g_strdup(err->message);
	g_error_free(err);
	checker_free(ck);
	machine_free(m);
	return msg;
}

static void assert_contains(const char *report, const char *want)
{
	ck_assert_msg(strstr(report, want), "report lacks '%s':\n%s", want, report);
}

START_TEST(test_dropped_invalidation_breaks_swmr)
{
	Mutant *mu = mutant_new(&proto_msi);
	mutant_row(mu, "S", PROTO_EV_OTHER_RDX)->next = mutant_state(&mu->proto, "S");
	mutant_row(mu, "S", PROTO_EV_OTHER_RDX)->next_shared = mutant_state(&mu->proto, "S");
	g_autofree char *r = report_for(mu, "0L 1S");
	assert_contains(r, "invariant violated: SWMR: cache 1 holds the line writable (M)");
	assert_contains(r, "line 0x1000: cache 0 S [0]; cache 1 M [1]; cache 2 I;");
	assert_contains(r, "the last 2 events:");
	assert_contains(r, "#1 core 0 ld 0x1000 -> 0: miss, BusRd (data from memory), cache 0 I->S");
	assert_contains(r, "#2 core 1 st 0x1000 <- 1: miss, BusRdX (data from memory), cache 1 I->M");
	mutant_free(mu);
}
END_TEST

/* MOESI's M answering a BusRd without supplying: the reader gets memory's
 * stale word, and its load says so. */
START_TEST(test_dropped_supply_breaks_a_load)
{
	Mutant *mu = mutant_new(&proto_moesi);
	ck_assert(mutant_drop_action(mutant_row(mu, "M", PROTO_EV_OTHER_RD), PROTO_ACT_SUPPLY));
	g_autofree char *r = report_for(mu, "0S 1L");
	assert_contains(r, "data value: core 1 loaded 0 from 0x1000, but the last store to it wrote 1");
	mutant_free(mu);
}
END_TEST

/* A BusRdX served by memory instead of the owner, which leaves M: the
 * transition rules see the owner give up its line without supplying it
 * (the word the requester did not store is stale in its copy, too). */
START_TEST(test_dropped_supply_owner_rule)
{
	Mutant *mu = mutant_new(&proto_mesi);
	ck_assert(mutant_drop_action(mutant_row(mu, "M", PROTO_EV_OTHER_RDX), PROTO_ACT_SUPPLY));
	g_autofree char *r = report_for(mu, "0W 1S");
	assert_contains(r, "an owner supplies: cache 0 left M on core 1's BusRdX, but memory "
			   "supplied the data");
	assert_contains(r, "line 0x1000: cache 0 I; cache 1 M [2]; cache 2 I;");
	mutant_free(mu);
}
END_TEST

/* An M line evicted without its write-back: the victim check finds memory
 * stale with no dirty copy left. */
START_TEST(test_dropped_writeback_caught_at_eviction)
{
	Mutant *mu = mutant_new(&proto_msi);
	ck_assert(mutant_drop_action(mutant_row(mu, "M", PROTO_EV_EVICT), PROTO_ACT_WRITE_BACK));
	g_autofree char *r = report_for(mu, "0S 0B");
	assert_contains(r, "data value: no cache holds the line dirty, but memory holds 0 in word 0 "
			   "and the last store wrote 1");
	assert_contains(r, "evicts 0x1000");
	mutant_free(mu);
}
END_TEST

/* Dragon's Sc ignoring a BusUpd: copies differ after the update. */
START_TEST(test_dropped_update_breaks_dragon)
{
	Mutant *mu = mutant_new(&proto_dragon);
	ck_assert(mutant_drop_action(mutant_row(mu, "Sc", PROTO_EV_OTHER_UPD), PROTO_ACT_TAKE_UPDATE));
	g_autofree char *r = report_for(mu, "0L 1L 0S");
	assert_contains(r, "data value: cache 1 (Sc) holds 0 in word 0, but the last store wrote 1");
	assert_contains(r, "BusUpd");
	mutant_free(mu);
}
END_TEST

/* A missing row is recorded, not fatal, and reported as a protocol error. */
START_TEST(test_missing_row_reported)
{
	Mutant *mu = mutant_new(&proto_msi);
	mutant_row(mu, "M", PROTO_EV_OTHER_RD)->defined = 0;
	Machine *m = tiny_machine(&mu->proto);
	machine_set_record_errors(m, TRUE);
	Checker *ck = checker_attach(m, CHECKER_RECORD);
	run_seq(m, "0S 1L");
	GError *err = NULL;
	ck_assert(!checker_status(ck, &err));
	ck_assert_int_eq(err->code, CHECKER_ERROR_PROTOCOL);
	assert_contains(err->message, "protocol msi has no transition for state M on OtherBusRd");
	g_error_free(err);
	checker_free(ck);
	machine_free(m);
	mutant_free(mu);
}
END_TEST

/* CHECKER_EXIT, as `run --check` uses it: the process exits with status 3
 * (an exit test: Check runs it in its own process). */
START_TEST(test_exit_mode_exits_3)
{
	Mutant *mu = mutant_new(&proto_msi);
	mutant_row(mu, "S", PROTO_EV_OTHER_UPGR)->next = mutant_state(&mu->proto, "S");
	Machine *m = tiny_machine(&mu->proto);
	checker_attach(m, CHECKER_EXIT);
	run_seq(m, "0L 1L 1S");
	/* Not reached: the store's check exits. */
}
END_TEST

Suite *suite_checker(void)
{
	Suite *s = suite_create("checker");
	TCase *tc = tcase_create("line");
	tcase_add_loop_test(tc, test_line_invariants, 0, G_N_ELEMENTS(line_rows));
	suite_add_tcase(s, tc);
	tc = tcase_create("machine");
	tcase_add_loop_test(tc, test_correct_tables_pass, 0, 5);
	tcase_add_test(tc, test_claims_update_the_shadow);
	tcase_add_test(tc, test_dropped_invalidation_breaks_swmr);
	tcase_add_test(tc, test_dropped_supply_breaks_a_load);
	tcase_add_test(tc, test_dropped_supply_owner_rule);
	tcase_add_test(tc, test_dropped_writeback_caught_at_eviction);
	tcase_add_test(tc, test_dropped_update_breaks_dragon);
	tcase_add_test(tc, test_missing_row_reported);
	tcase_add_exit_test(tc, test_exit_mode_exits_3, CHECKER_EXIT_STATUS);
	suite_add_tcase(s, tc);
	return s;
}
