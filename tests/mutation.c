/* mutation.c - the mutation test: break each protocol table one row at a
 * time and show that verification catches every break that is a bug.
 *
 * For every defined row of every table it makes these mutants:
 *  - next:      a wrong next state (every other state; where the row's
 *               shared signal decides, the low and high next states each);
 *  - no-inv:    a snoop row that should drop the copy keeps it;
 *  - no-supply: the row no longer supplies the data;
 *  - no-wb:     the row no longer writes back (Flush or downgrade write);
 *  - no-update: Dragon's copy ignores a BusUpd;
 *  - no-bus:    the row no longer issues one of its bus transactions;
 *  - missing:   the row is gone from the table.
 * Each mutant runs through the exhaustive verifier (3 cores, 1 line, 2
 * values, with claims), then, if that passes, the random tester on a few
 * seeds.  A mutant neither catches is a survivor; a survivor must be in
 * the list of equivalent mutants below, each with the reason it is not a
 * bug, and every listed mutant must still survive (so the list cannot go
 * stale).  Prints the fraction caught per protocol; exits 1 on an
 * unexplained survivor.  docs/verification.md discusses the survivors.
 *
 * tests/mutation -v prints every mutant and what caught it; -r also runs
 * the random tester on every mutant and reports what it catches alone.
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "mutant.h"
#include "verify/verify_exhaustive.h"
#include "verify/verify_random.h"

/* Mutants that are not bugs.  The snoop rows of the not-present state are
 * handled by rule in equivalent_reason(). */
typedef struct {
	const char *mutant; /* as describe() spells it */
	const char *reason;
} Equivalent;

#define ALONE_SHARED                                                                        \
	"coherent: a load miss that finds no other copy ends in a shared state instead of "  \
	"the exclusive-clean one, which is MSI's behaviour for that miss; only the silent "  \
	"upgrade is lost (the next store pays a BusUpgr).  tests/test_protocols.c's row "     \
	"'I load alone -> E' pins the state down"
#define DRAGON_SM_ALONE                                                                     \
	"coherent: the writer ends in Sm, the dirty owner, where the table says M; alone in " \
	"Sm it behaves as M except that its next store broadcasts a BusUpd that finds no "   \
	"copy and then goes to M.  tests/test_protocols.c's store rows pin the state down"

static const Equivalent equivalents[] = {
	{ "mesi I Load: next E -> S", ALONE_SHARED },
	{ "moesi I Load: next E -> S", ALONE_SHARED },
	{ "mesif I Load: next E -> S", ALONE_SHARED },
	{ "mesif I Load: next E -> F",
	  "coherent: alone in F (a clean owner) instead of E; a later reader is served by it, "
	  "a store pays a BusUpgr instead of the silent E -> M" },
	{ "mesif I Load: next if shared F -> S",
	  "coherent: the reader becomes S instead of the forwarder, so memory serves the next "
	  "reader (MESI's behaviour); tests/test_protocols.c's 'I load shared -> F' pins it down" },
	{ "dragon - Load: next E -> Sc",
	  "coherent: alone in Sc instead of E; a later store broadcasts a BusUpd that finds no "
	  "copy and goes to M (protocols.md), where E would have gone to M silently" },
	{ "dragon - Store: next M -> Sm", DRAGON_SM_ALONE },
	{ "dragon E Store: next M -> Sm", DRAGON_SM_ALONE },
	{ "dragon Sc Store: next M -> Sm", DRAGON_SM_ALONE },
	{ "dragon Sm Store: next M -> Sm", DRAGON_SM_ALONE },
	{ "dragon M Store: next M -> Sm", DRAGON_SM_ALONE },
	{ NULL, NULL },
};

static const char *equivalent_reason(const Protocol *p, int s, ProtoEvent e, const char *desc)
{
	if (s == 0 && e >= PROTO_FIRST_SNOOP_EVENT)
		return "unreachable: the controller snoops only caches that hold the line";
	for (gsize i = 0; equivalents[i].mutant; i++)
		if (strcmp(equivalents[i].mutant, desc) == 0)
			return equivalents[i].reason;
	return NULL;
}

typedef struct {
	unsigned made, by_exhaustive, by_random, equivalent, unexplained;
	GHashTable *listed_survivors; /* descriptions from equivalents[] that survived */
} Tally;

/* Per class of mutant, over all protocols: made, caught, equivalent. */
static const char *const classes[] = { "next", "no-inv", "no-supply", "no-wb", "no-update",
				       "no-bus", "no-zero", "missing" };
static unsigned class_made[G_N_ELEMENTS(classes)], class_caught[G_N_ELEMENTS(classes)],
	class_equiv[G_N_ELEMENTS(classes)];
static gboolean random_all;       /* -r */
static unsigned random_alone;     /* mutants the random tester caught by itself (-r) */

static gsize class_of(const char *desc)
{
	const char *what = strstr(desc, ": ") + 2;
	for (gsize i = 0; i < G_N_ELEMENTS(classes); i++)
		if (g_str_has_prefix(what, classes[i]))
			return i;
	g_error("mutation: no class for '%s'", desc);
}

/* Does the random tester catch the mutant on one of four seeds? */
static char *random_catches(const Protocol *p)
{
	for (uint64_t seed = 1; seed <= 4; seed++) {
		VrOptions ro = { p, 4, seed, 800, MODE_FUNCTIONAL, 6, TRUE, FALSE };
		VrResult rr;
		if (!vr_run(&ro, &rr, NULL))
			g_error("mutation: the random tester failed to run");
		char *why = g_steal_pointer(&rr.failure);
		vr_result_clear(&rr);
		if (why)
			return why;
	}
	return NULL;
}

/* What the verifiers say about one mutant: 'x' exhaustive, 'r' random, 0 none.
 * With -r, *random_missed tells whether the random tester alone missed it. */
static char judge(const Protocol *p, char **why, gboolean *random_missed)
{
	VxOptions vo = { p, 3, 1, 2, FALSE, 0 };
	VxResult vr;
	if (!vx_run(&vo, &vr, NULL))
		g_error("mutation: the exhaustive verifier failed to run");
	*random_missed = FALSE;
	if (random_all) {
		g_autofree char *r = random_catches(p);
		random_alone += r != NULL;
		*random_missed = r == NULL;
	}
	if (vr.violation) {
		*why = g_strdup(vr.violation);
		vx_result_clear(&vr);
		return 'x';
	}
	vx_result_clear(&vr);
	if ((*why = random_catches(p)))
		return 'r';
	return 0;
}

static void try_mutant(Tally *t, const Protocol *base, const Mutant *mu, int s, ProtoEvent e,
		       const char *desc, gboolean verbose)
{
	g_autofree char *why = NULL;
	gboolean random_missed;
	char by = judge(&mu->proto, &why, &random_missed);
	gsize cls = class_of(desc);
	t->made++;
	class_made[cls]++;
	class_caught[cls] += by != 0;
	const char *reason = equivalent_reason(base, s, e, desc);
	if (by == 'x')
		t->by_exhaustive++;
	else if (by == 'r')
		t->by_random++;
	if (by && reason && !(s == 0 && e >= PROTO_FIRST_SNOOP_EVENT)) {
		printf("  STALE: %s is listed as equivalent but was caught: %s\n", desc, why);
		t->unexplained++;
	} else if (!by && reason) {
		t->equivalent++;
		class_equiv[cls]++;
		g_hash_table_add(t->listed_survivors, (gpointer)desc);
		if (verbose)
			printf("  survivor (equivalent): %s: %s\n", desc, reason);
	} else if (!by) {
		t->unexplained++;
		printf("  SURVIVOR: %s\n", desc);
	} else if (verbose) {
		g_autofree char *first = g_strndup(why, strcspn(why, "\n"));
		printf("  caught (%s%s): %s: %s\n", by == 'x' ? "exhaustive" : "random",
		       random_missed ? "; missed by the random tester alone" : "", desc, first);
	}
}

static gboolean signal_decides(const ProtoTransition *row)
{
	for (int i = 0; i < PROTO_MAX_ACTIONS; i++)
		if (row->actions[i] == PROTO_ACT_ISSUE_RD || row->actions[i] == PROTO_ACT_ISSUE_UPD ||
		    row->actions[i] == PROTO_ACT_ISSUE_UPD_IF_SHARED)
			return TRUE;
	return FALSE;
}

static gboolean has_action(const ProtoTransition *row, ProtoAction a)
{
	for (int i = 0; i < PROTO_MAX_ACTIONS; i++)
		if (row->actions[i] == a)
			return TRUE;
	return FALSE;
}

/* Every mutant of one row. */
static void mutate_row(Tally *t, const Protocol *p, int s, ProtoEvent e, GPtrArray *descs,
		       gboolean verbose)
{
	const char *st = p->state_names[s], *ev = proto_event_name(e);
	const ProtoTransition *orig = proto_row(p, s, e);
	Mutant *mu = mutant_new(p);
	ProtoTransition *row = &mu->table[s * PROTO_N_EVENTS + e];
	char *d;
#define TRY()                                                                          \
	do {                                                                           \
		g_ptr_array_add(descs, d);                                             \
		try_mutant(t, p, mu, s, e, d, verbose);                                \
		*row = *orig;                                                          \
	} while (0)

	for (int n = 0; n < p->n_states; n++) {
		if (signal_decides(orig)) {
			if (n != orig->next) {
				row->next = (uint8_t)n;
				d = g_strdup_printf("%s %s %s: next %s -> %s", p->name, st, ev,
						    p->state_names[orig->next], p->state_names[n]);
				TRY();
			}
			if (n != orig->next_shared) {
				row->next_shared = (uint8_t)n;
				d = g_strdup_printf("%s %s %s: next if shared %s -> %s", p->name, st,
						    ev, p->state_names[orig->next_shared],
						    p->state_names[n]);
				TRY();
			}
		} else if (n != orig->next) {
			row->next = row->next_shared = (uint8_t)n;
			d = g_strdup_printf("%s %s %s: next %s -> %s", p->name, st, ev,
					    p->state_names[orig->next], p->state_names[n]);
			TRY();
		}
	}
	if (e >= PROTO_FIRST_SNOOP_EVENT && s != 0 && orig->next == 0) {
		row->next = row->next_shared = (uint8_t)s;
		d = g_strdup_printf("%s %s %s: no-inv (stays %s)", p->name, st, ev, st);
		TRY();
	}
	static const struct {
		ProtoAction act;
		const char *what;
	} drops[] = {
		{ PROTO_ACT_SUPPLY, "no-supply" },
		{ PROTO_ACT_WRITE_BACK, "no-wb" },
		{ PROTO_ACT_WRITE_MEMORY, "no-wb (downgrade write)" },
		{ PROTO_ACT_TAKE_UPDATE, "no-update" },
		{ PROTO_ACT_ISSUE_RD, "no-bus BusRd" },
		{ PROTO_ACT_ISSUE_RDX, "no-bus BusRdX" },
		{ PROTO_ACT_ISSUE_UPGR, "no-bus BusUpgr" },
		{ PROTO_ACT_ISSUE_UPD, "no-bus BusUpd" },
		{ PROTO_ACT_ISSUE_UPD_IF_SHARED, "no-bus BusUpd-if-shared" },
		{ PROTO_ACT_ISSUE_INV, "no-bus BusInv" },
		{ PROTO_ACT_ZERO_LINE, "no-zero" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(drops); i++) {
		if (!has_action(orig, drops[i].act))
			continue;
		mutant_drop_action(row, drops[i].act);
		d = g_strdup_printf("%s %s %s: %s", p->name, st, ev, drops[i].what);
		TRY();
	}
	row->defined = 0;
	d = g_strdup_printf("%s %s %s: missing", p->name, st, ev);
	TRY();
#undef TRY
	mutant_free(mu);
}

int main(int argc, char **argv)
{
	gboolean verbose = FALSE;
	for (int i = 1; i < argc; i++) {
		verbose |= strcmp(argv[i], "-v") == 0;
		random_all |= strcmp(argv[i], "-r") == 0;
	}
	g_autoptr(GPtrArray) descs = g_ptr_array_new_with_free_func(g_free);
	Tally all = { 0 };
	all.listed_survivors = g_hash_table_new(g_str_hash, g_str_equal);
	int status = 0;
	for (const Protocol *const *pp = proto_all(); *pp; pp++) {
		const Protocol *p = *pp;
		Tally t = { .listed_survivors = all.listed_survivors };
		printf("%s:\n", p->name);
		for (int s = 0; s < p->n_states; s++)
			for (int e = 0; e < PROTO_N_EVENTS; e++)
				if (proto_row(p, s, e)->defined)
					mutate_row(&t, p, s, (ProtoEvent)e, descs, verbose);
		unsigned caught = t.by_exhaustive + t.by_random;
		unsigned bugs = t.made - t.equivalent;
		printf("%s: %u mutants, %u caught (%u by the exhaustive verifier, %u more by the "
		       "random tester), %u equivalent: %.1f%% of all, %u/%u = %.1f%% of the "
		       "non-equivalent\n",
		       p->name, t.made, caught, t.by_exhaustive, t.by_random, t.equivalent,
		       100.0 * caught / t.made, caught, bugs, bugs ? 100.0 * caught / bugs : 100.0);
		all.made += t.made;
		all.by_exhaustive += t.by_exhaustive;
		all.by_random += t.by_random;
		all.equivalent += t.equivalent;
		all.unexplained += t.unexplained;
	}
	for (gsize i = 0; equivalents[i].mutant; i++) {
		if (!g_hash_table_contains(all.listed_survivors, equivalents[i].mutant)) {
			gboolean exists = FALSE;
			for (guint k = 0; k < descs->len; k++)
				exists |= strcmp(g_ptr_array_index(descs, k), equivalents[i].mutant) == 0;
			if (!exists) {
				printf("STALE: listed mutant '%s' is not made any more\n",
				       equivalents[i].mutant);
				all.unexplained++;
			}
		}
	}
	for (gsize i = 0; i < G_N_ELEMENTS(classes); i++)
		printf("class %-9s %4u mutants, %4u caught, %3u equivalent\n", classes[i],
		       class_made[i], class_caught[i], class_equiv[i]);
	if (random_all)
		printf("the random tester alone caught %u of the %u non-equivalent mutants (%.1f%%)\n",
		       random_alone, all.made - all.equivalent,
		       100.0 * random_alone / (all.made - all.equivalent));
	unsigned caught = all.by_exhaustive + all.by_random;
	printf("all: %u mutants, %u caught, %u equivalent, %u unexplained\n", all.made, caught,
	       all.equivalent, all.unexplained);
	if (all.unexplained)
		status = 1;
	printf("%u passed, %u failed\n", caught + all.equivalent, all.unexplained);
	g_hash_table_destroy(all.listed_survivors);
	return status;
}
