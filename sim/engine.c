/* engine.c - the run result shared by both engines, and their error domain. */
#include "engine.h"
#include "histogram.h"

G_DEFINE_QUARK(labyrinth-sim-error-quark, sim_error)

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
