/* engine.c - the run result shared by both engines, and their error domain. */
#include <inttypes.h>

#include "engine.h"
#include "util/histogram.h"

G_DEFINE_QUARK(labyrinth-sim-error-quark, sim_error)

gboolean engine_load_mismatch(const char *path, const WlOp *op, unsigned core, uint64_t addr,
			      uint64_t loaded, GError **error)
{
	g_set_error(error, SIM_ERROR, SIM_ERROR_CHECK,
		    "%s:%" PRIu32 ": core %u ld 0x%" PRIx64 " expected %" PRIu64 ", loaded %" PRIu64,
		    path, op->line, core, addr, op->expect, loaded);
	return FALSE;
}

void run_result_init(RunResult *r, unsigned n_cores)
{
	*r = (RunResult){
		.n_cores = n_cores,
		.cores = g_new0(CoreRunStats, n_cores),
		.where = g_new0(CoreWhere, n_cores),
	};
}

void run_result_clear(RunResult *r)
{
	g_free(r->cores);
	r->cores = NULL;
	g_free(r->where);
	r->where = NULL;
	if (r->timing) {
		hist_free(r->timing->bus_queue_delay);
		hist_free(r->timing->miss_latency_mem);
		hist_free(r->timing->miss_latency_c2c);
		g_free(r->timing);
		r->timing = NULL;
	}
}
