/* interconnect.c - choosing the interconnect a configuration asks for. */
#include "bus.h"
#include "interconnect.h"

Interconnect *interconnect_new(const Config *cfg, unsigned n_cores, const InterconnectHost *host)
{
	return bus_new(cfg, n_cores, host);
}
