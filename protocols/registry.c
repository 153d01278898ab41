/* registry.c - the list of protocols the simulator knows, and the names of
 * events, actions and bus transactions used in reports and traces.  A new
 * protocol is added here and nowhere in the engine. */
#include <string.h>

#include "protocol.h"

static const Protocol *const all[] = {
	&proto_msi, &proto_mesi, &proto_moesi, &proto_mesif, &proto_dragon, NULL,
};

const Protocol *const *proto_all(void)
{
	return all;
}

const Protocol *proto_lookup(const char *name)
{
	for (int i = 0; all[i]; i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
}

const char *proto_names(void)
{
	return "msi|mesi|moesi|mesif|dragon";
}

const char *proto_event_name(ProtoEvent ev)
{
	static const char *const names[PROTO_N_EVENTS] = {
		[PROTO_EV_LOAD] = "Load",
		[PROTO_EV_STORE] = "Store",
		[PROTO_EV_EVICT] = "Evict",
		[PROTO_EV_CLAIM_ZERO] = "ClaimZero",
		[PROTO_EV_CLAIM_RFO] = "ClaimRfo",
		[PROTO_EV_OTHER_RD] = "OtherBusRd",
		[PROTO_EV_OTHER_RDX] = "OtherBusRdX",
		[PROTO_EV_OTHER_UPGR] = "OtherBusUpgr",
		[PROTO_EV_OTHER_UPD] = "OtherBusUpd",
		[PROTO_EV_OTHER_INV] = "OtherBusInv",
	};
	return (unsigned)ev < PROTO_N_EVENTS ? names[ev] : "?";
}

const char *proto_action_name(ProtoAction act)
{
	static const char *const names[PROTO_N_ACTIONS] = {
		[PROTO_ACT_NONE] = "none",
		[PROTO_ACT_ISSUE_RD] = "issue_bus_rd",
		[PROTO_ACT_ISSUE_RDX] = "issue_bus_rdx",
		[PROTO_ACT_ISSUE_UPGR] = "issue_bus_upgr",
		[PROTO_ACT_ISSUE_UPD] = "issue_bus_upd",
		[PROTO_ACT_ISSUE_UPD_IF_SHARED] = "issue_bus_upd_if_shared",
		[PROTO_ACT_ISSUE_INV] = "issue_bus_inv",
		[PROTO_ACT_WRITE_BACK] = "write_back",
		[PROTO_ACT_ZERO_LINE] = "zero_line",
		[PROTO_ACT_SUPPLY] = "supply_data",
		[PROTO_ACT_WRITE_MEMORY] = "write_memory",
		[PROTO_ACT_TAKE_UPDATE] = "take_update",
	};
	return (unsigned)act < PROTO_N_ACTIONS ? names[act] : "?";
}

const char *proto_txn_name(BusTxn txn)
{
	static const char *const names[BUS_N_TXNS] = {
		[BUS_RD] = "BusRd", [BUS_RDX] = "BusRdX", [BUS_UPGR] = "BusUpgr",
		[BUS_UPD] = "BusUpd", [BUS_INV] = "BusInv", [BUS_FLUSH] = "Flush",
	};
	return (unsigned)txn < BUS_N_TXNS ? names[txn] : "?";
}
