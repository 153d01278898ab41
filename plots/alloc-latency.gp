# alloc-latency.gp - allocator latency (p50 solid, p99 dashed) against the
# number of cores, one colour per protocol and setting, from sweep.csv.
#   gnuplot -e "data='DIR/sweep.csv'; out='alloc-latency.png'" plots/alloc-latency.gp
# Columns: cores, allocs, alloc_latency_p50, alloc_latency_p99 (cycles from
# an alloc call's start to its return).
name = 'alloc-latency'
dirname(p) = p[strlen(p):] eq '/' ? p : (strlen(p) > 1 ? dirname(p[1:strlen(p) - 1]) : './')
load dirname(ARG0) . 'common.gp'

set title sprintf('Allocator latency: %s', wl)
set ylabel 'allocation latency (cycles)'
# Latency grows by orders of magnitude with cores: a log scale, 1k = 1000.
set logscale y 10
set yrange [*:*]
set format y '%.0s%c'
stats data using (has('allocs') && column('allocs') > 0) nooutput
if (STATS_sum == 0) {
	eval nodata('no allocations in this sweep: the workload does not call the allocator')
} else {
	plot for [k = 1:nseries] data every ::first(k)::last(k) \
		using 'cores':(when(column('allocs') > 0 && column('alloc_latency_p50') > 0, \
				   column('alloc_latency_p50'))) \
		with linespoints ls colour(k) title series(k), \
	     for [k = 1:nseries] data every ::first(k)::last(k) \
		using 'cores':(when(column('allocs') > 0 && column('alloc_latency_p99') > 0, \
				   column('alloc_latency_p99'))) \
		with linespoints ls colour(k) dt 2 notitle, \
	     keyentry with lines lc 'black' lw 2 title 'p50', \
	     keyentry with lines lc 'black' lw 2 dt 2 title 'p99'
}
