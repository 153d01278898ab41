/* mutant.c - writable copies of protocol tables (see mutant.h). */
#include <glib.h>
#include <string.h>

#include "mutant.h"

Mutant *mutant_new(const Protocol *base)
{
	Mutant *m = g_new0(Mutant, 1);
	gsize n = (gsize)base->n_states * PROTO_N_EVENTS;
	m->table = g_new(ProtoTransition, n);
	memcpy(m->table, base->table, n * sizeof(ProtoTransition));
	m->proto = *base;
	m->proto.table = m->table;
	return m;
}

void mutant_free(Mutant *m)
{
	if (!m)
		return;
	g_free(m->table);
	g_free(m);
}

int mutant_state(const Protocol *p, const char *name)
{
	for (int s = 0; s < p->n_states; s++)
		if (strcmp(p->state_names[s], name) == 0)
			return s;
	return -1;
}

ProtoTransition *mutant_row(Mutant *m, const char *state, ProtoEvent ev)
{
	int s = mutant_state(&m->proto, state);
	g_assert(s >= 0);
	return &m->table[s * PROTO_N_EVENTS + ev];
}

int mutant_drop_action(ProtoTransition *row, ProtoAction act)
{
	int j = 0, dropped = 0;
	for (int i = 0; i < PROTO_MAX_ACTIONS; i++) {
		if (row->actions[i] == act && !dropped) {
			dropped = 1;
			continue;
		}
		row->actions[j++] = row->actions[i];
	}
	while (j < PROTO_MAX_ACTIONS)
		row->actions[j++] = PROTO_ACT_NONE;
	return dropped;
}
