/* mutant.h - writable copies of protocol tables, for the tests that break
 * a row on purpose: the checker's and the verifiers' tests, and the
 * mutation test (tests/mutation.c). */
#ifndef LABYRINTH_TEST_MUTANT_H
#define LABYRINTH_TEST_MUTANT_H

#include "protocol.h"

typedef struct {
	Protocol proto;         /* a copy of the base, whose table is the one below */
	ProtoTransition *table; /* n_states * PROTO_N_EVENTS rows, writable */
} Mutant;

Mutant *mutant_new(const Protocol *base);
void mutant_free(Mutant *m);
/* The row to break; state is looked up by name ("S", "Sm"). */
ProtoTransition *mutant_row(Mutant *m, const char *state, ProtoEvent ev);
int mutant_state(const Protocol *p, const char *name); /* -1 if unknown */
/* Removes act from the row's action list, keeping the others in order.
 * Returns 0 if the row did not have it. */
int mutant_drop_action(ProtoTransition *row, ProtoAction act);

#endif
