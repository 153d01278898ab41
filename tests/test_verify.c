/* test_verify.c - the exhaustive verifier and the random tester.
 *
 * The five tables pass exhaustive verification for 2 and 3 cores with the
 * state counts worked out by hand (one line, values 0 and 1; "v" is the
 * value of the last store, "m" memory's):
 *  - MSI, 3 cores: all I (m = v: 2) + one M (3 caches x v x m: 12) + a
 *    non-empty set of S copies (7 x 2) = 28.  With 2 cores: 2 + 8 + 6 = 16.
 *  - MESI adds one E (3 x 2): 34; 2 cores: 20.
 *  - MOESI adds an O with any set of S among the others (3 x 4 x v x m):
 *    82; 2 cores: 2 + 8 + 4 + 6 + 16 = 36.
 *  - MESIF: F with any set of S among the others (3 x 4 x 2) but the S
 *    copies never all remain without an F once three caches read (the
 *    newest reader always becomes F), so 2 + 12 + 6 + 12 + 24 = 56; with 2
 *    cores the two S copies never remain without an F: 2 + 8 + 4 + 4 + 8 = 26.
 *  - Dragon has the same shape as MOESI (E, M, Sc sets, Sm with Sc): 82, 36.
 * Transitions follow: each state has cores x (load + 2 stores + 2 claims)
 * events plus one eviction per valid copy.  Two lines are independent, so
 * their state count is the square.
 *
 * Mutants of the tables show that a broken row is found, with the shortest
 * trace; the random tester passes on fixed seeds and shrinks the workload
 * of a broken table to a few operations that still fail.
 */
#include <check.h>
#include <string.h>

#include "mutant.h"
#include "suites.h"
#include "verify/verify_exhaustive.h"
#include "verify/verify_random.h"

typedef struct {
	const char *proto;
	unsigned cores, lines;
	uint64_t states, transitions;
} CountRow;

static const CountRow count_rows[] = {
	{ "msi", 2, 1, 16, 176 },     { "msi", 3, 1, 28, 456 },
	{ "mesi", 2, 1, 20, 220 },    { "mesi", 3, 1, 34, 552 },
	{ "moesi", 2, 1, 36, 404 },   { "moesi", 3, 1, 82, 1368 },
	{ "mesif", 2, 1, 26, 288 },   { "mesif", 3, 1, 56, 924 },
	{ "dragon", 2, 1, 36, 404 },  { "dragon", 3, 1, 82, 1368 },
	{ "msi", 3, 2, 784, 25536 },  { "moesi", 2, 2, 1296, 29088 },
	{ "dragon", 3, 2, 6724, 224352 },
};

START_TEST(test_tables_verify)
{
	const CountRow *c = &count_rows[_i];
	VxOptions o = { proto_lookup(c->proto), c->cores, c->lines, 2, FALSE, 0 };
	VxResult r;
	g_autoptr(GError) err = NULL;
	ck_assert_msg(vx_run(&o, &r, &err), "%s", err ? err->message : "");
	ck_assert_msg(!r.violation, "%s: %s\n%s", c->proto, r.violation, r.trace);
	ck_assert_uint_eq(r.states, c->states);
	ck_assert_uint_eq(r.transitions, c->transitions);
	vx_result_clear(&r);
}
END_TEST

/* Every defined row runs somewhere in the search, except the snoop rows of
 * the not-present state: the controller snoops only caches that hold the
 * line, so those rows exist for completeness and never run. */
START_TEST(test_every_reachable_row_runs)
{
	const Protocol *p = proto_all()[_i];
	VxOptions o = { p, 3, 1, 2, FALSE, 0 };
	VxResult r;
	ck_assert(vx_run(&o, &r, NULL));
	for (int s = 0; s < p->n_states; s++) {
		for (int e = 0; e < PROTO_N_EVENTS; e++) {
			if (!proto_row(p, s, e)->defined)
				continue;
			gboolean runs = r.row_counts[s * PROTO_N_EVENTS + e] > 0;
			gboolean should = !(s == 0 && e >= PROTO_FIRST_SNOOP_EVENT);
			ck_assert_msg(runs == should, "%s: row %s on %s %s", p->name,
				      p->state_names[s], proto_event_name(e),
				      runs ? "ran" : "never ran");
		}
	}
	vx_result_clear(&r);
}
END_TEST

static void expect_violation(const Protocol *p, const char *prefix, unsigned len,
			     const char *trace_part)
{
	VxOptions o = { p, 3, 1, 2, FALSE, 0 };
	VxResult r;
	ck_assert(vx_run(&o, &r, NULL));
	ck_assert_msg(r.violation && g_str_has_prefix(r.violation, prefix), "expected '%s', got '%s'",
		      prefix, r.violation ? r.violation : "(none)");
	ck_assert_uint_eq(r.trace_len, len);
	ck_assert_msg(strstr(r.trace, trace_part), "trace lacks '%s':\n%s", trace_part, r.trace);
	vx_result_clear(&r);
}

START_TEST(test_finds_dropped_invalidation)
{
	Mutant *mu = mutant_new(&proto_mesi);
	ProtoTransition *row = mutant_row(mu, "S", PROTO_EV_OTHER_UPGR);
	row->next = row->next_shared = (uint8_t)mutant_state(&mu->proto, "S");
	/* Two readers share, one upgrades: the shortest way there. */
	expect_violation(&mu->proto, "SWMR: cache", 3,
			 "   1. core 0 load -> E=0 I I mem=0 last=0\n"
			 "   2. core 1 load -> S=0 S=0 I mem=0 last=0\n"
			 "   3. core 0 store 0 -> M=0 S=0 I mem=0 last=0\n");
	mutant_free(mu);
}
END_TEST

START_TEST(test_finds_missing_row)
{
	Mutant *mu = mutant_new(&proto_msi);
	mutant_row(mu, "M", PROTO_EV_OTHER_RD)->defined = 0;
	expect_violation(&mu->proto,
			 "protocol error: protocol msi has no transition for state M on OtherBusRd", 2,
			 "   1. core 0 store 0 -> M=0 I I mem=0 last=0\n");
	mutant_free(mu);
}
END_TEST

/* E is clean, so memory serving a BusRd instead of E gives the right data:
 * only the owner-supplies rule sees it. */
START_TEST(test_finds_clean_owner_not_supplying)
{
	Mutant *mu = mutant_new(&proto_mesif);
	ck_assert(mutant_drop_action(mutant_row(mu, "F", PROTO_EV_OTHER_RD), PROTO_ACT_SUPPLY));
	expect_violation(&mu->proto, "owner supplies: another cache owned the line, yet BusRd", 3,
			 "   3. core 2 load");
	mutant_free(mu);
}
END_TEST

START_TEST(test_finds_dragon_missed_update)
{
	Mutant *mu = mutant_new(&proto_dragon);
	ck_assert(mutant_drop_action(mutant_row(mu, "Sc", PROTO_EV_OTHER_UPD), PROTO_ACT_TAKE_UPDATE));
	/* A store miss to a line another cache reads: BusRd, then BusUpd. */
	expect_violation(&mu->proto, "data value: cache 0 (Sc) holds 0", 2,
			 "   2. core 1 store 1 -> Sc=0 Sm=1 - mem=0 last=1\n");
	mutant_free(mu);
}
END_TEST

/* A missing write-back shows with two lines as well (the lines are
 * independent, so the search finds the same 2-event trace). */
START_TEST(test_two_lines)
{
	Mutant *mu = mutant_new(&proto_moesi);
	ck_assert(mutant_drop_action(mutant_row(mu, "M", PROTO_EV_EVICT), PROTO_ACT_WRITE_BACK));
	VxOptions o = { &mu->proto, 2, 2, 2, TRUE, 0 };
	VxResult r;
	ck_assert(vx_run(&o, &r, NULL));
	ck_assert_ptr_nonnull(r.violation);
	ck_assert_uint_eq(r.trace_len, 2);
	ck_assert_msg(strstr(r.trace, "1. core 0 store 1 line 0 -> line 0: M=1 I mem=0 last=1; "
				      "line 1: I I mem=0 last=0"),
		      "%s", r.trace);
	ck_assert_msg(strstr(r.trace, "2. core 0 evict line 0"), "%s", r.trace);
	vx_result_clear(&r);
	mutant_free(mu);
}
END_TEST

START_TEST(test_bad_options)
{
	VxOptions bad[] = {
		{ &proto_msi, 0, 1, 2, FALSE, 0 },
		{ &proto_msi, VX_MAX_CORES + 1, 1, 2, FALSE, 0 },
		{ &proto_msi, 3, 0, 2, FALSE, 0 },
		{ &proto_msi, 3, 1, VX_MAX_VALUES + 1, FALSE, 0 },
		{ &proto_dragon, 6, 4, 8, FALSE, 0 }, /* does not fit in 64 bits */
	};
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		VxResult r;
		g_autoptr(GError) err = NULL;
		ck_assert(!vx_run(&bad[i], &r, &err));
		ck_assert_int_eq(err->code, VX_ERROR_OPTION);
		vx_result_clear(&r);
	}
	VxOptions small = { &proto_moesi, 3, 2, 2, FALSE, 100 };
	VxResult r;
	g_autoptr(GError) err = NULL;
	ck_assert(!vx_run(&small, &r, &err));
	ck_assert_int_eq(err->code, VX_ERROR_LIMIT);
	vx_result_clear(&r);
}
END_TEST

/* ---- The random tester ---- */

/* Loop index: protocol * 2 + mode (functional, timing); both with kernel calls. */
START_TEST(test_random_seeds_pass)
{
	const Protocol *p = proto_all()[_i / 2];
	SimMode mode = _i % 2 ? MODE_TIMING : MODE_FUNCTIONAL;
	for (uint64_t seed = 1; seed <= 8; seed++) {
		VrOptions o = { p, 4, seed, 1500, mode, 6, FALSE, FALSE };
		VrResult r;
		g_autoptr(GError) err = NULL;
		ck_assert_msg(vr_run(&o, &r, &err), "%s", err ? err->message : "");
		ck_assert_msg(!r.failure, "%s %s seed %lu: %s", p->name, config_mode_name(mode),
			      (unsigned long)seed, r.failure);
		/* Lock spins and the allocator's own accesses add to the operations. */
		ck_assert_uint_gt(r.checked, 1200);
		vr_result_clear(&r);
	}
}
END_TEST

START_TEST(test_random_is_deterministic)
{
	VrOptions a = { &proto_mesi, 3, 7, 300, MODE_FUNCTIONAL, 4, FALSE, FALSE };
	VrOptions b = a, c = a;
	b.seed = 8;
	c.no_alloc = TRUE;
	g_autofree char *t1 = vr_generate(&a);
	g_autofree char *t2 = vr_generate(&a);
	g_autofree char *t3 = vr_generate(&b);
	g_autofree char *t4 = vr_generate(&c);
	ck_assert_str_eq(t1, t2);
	ck_assert_str_ne(t1, t3);
	ck_assert(g_str_has_prefix(t1, "%labyrinth-workload 1\n%cores 3\n"));
	static const char *const wanted[] = { " lock 0x", " unlock 0x", " rmw cas 0x", " barrier",
					      " alloc r", " free r", " lock_page r", " st r" };
	for (gsize i = 0; i < G_N_ELEMENTS(wanted); i++)
		ck_assert_msg(strstr(t1, wanted[i]), "no '%s' in:\n%s", wanted[i], t1);
	ck_assert_ptr_null(strstr(t4, " alloc r"));
	ck_assert_ptr_null(strstr(t4, " r0"));
}
END_TEST

/* A dropped write-back is found and shrunk: without kernel calls to the
 * store and the two fills that evict it from its two-way set; with them,
 * to one alloc, whose own metadata stores and claims evict dirty lines. */
START_TEST(test_random_shrinks_a_failure)
{
	Mutant *mu = mutant_new(&proto_msi);
	ck_assert(mutant_drop_action(mutant_row(mu, "M", PROTO_EV_EVICT), PROTO_ACT_WRITE_BACK));
	/* Seed 6 runs on caches of four lines (verify_random.h). */
	VrOptions o = { &mu->proto, 4, 6, 1000, MODE_FUNCTIONAL, 6, FALSE, TRUE };
	VrResult r;
	ck_assert(vr_run(&o, &r, NULL));
	ck_assert_ptr_nonnull(r.failure);
	ck_assert(g_str_has_prefix(r.failure, "invariant violated: data value"));
	ck_assert_uint_ge(r.minimised_ops, 3);
	ck_assert_uint_le(r.minimised_ops, 4);
	ck_assert_uint_gt(r.generated_ops, 1000);
	ck_assert_ptr_nonnull(strstr(r.workload, "#   labyrinth run THIS_FILE --check --protocol msi"));
	/* The minimised file fails the same way on its own. */
	char *again = NULL;
	ck_assert(vr_run_text(&o, r.workload, &again, NULL, NULL));
	ck_assert_ptr_nonnull(again);
	ck_assert(g_str_has_prefix(again, "invariant violated: data value"));
	g_free(again);
	vr_result_clear(&r);

	o.no_alloc = FALSE;
	ck_assert(vr_run(&o, &r, NULL));
	ck_assert(g_str_has_prefix(r.failure, "invariant violated: data value"));
	ck_assert_uint_eq(r.minimised_ops, 1);
	ck_assert_msg(strstr(r.workload, " alloc r"), "%s", r.workload);
	vr_result_clear(&r);
	mutant_free(mu);
}
END_TEST

Suite *suite_verify(void)
{
	Suite *s = suite_create("verify");
	TCase *tc = tcase_create("exhaustive");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_tables_verify, 0, G_N_ELEMENTS(count_rows));
	tcase_add_loop_test(tc, test_every_reachable_row_runs, 0, 5);
	tcase_add_test(tc, test_finds_dropped_invalidation);
	tcase_add_test(tc, test_finds_missing_row);
	tcase_add_test(tc, test_finds_clean_owner_not_supplying);
	tcase_add_test(tc, test_finds_dragon_missed_update);
	tcase_add_test(tc, test_two_lines);
	tcase_add_test(tc, test_bad_options);
	suite_add_tcase(s, tc);
	tc = tcase_create("random");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_random_seeds_pass, 0, 10);
	tcase_add_test(tc, test_random_is_deterministic);
	tcase_add_test(tc, test_random_shrinks_a_failure);
	suite_add_tcase(s, tc);
	return s;
}
