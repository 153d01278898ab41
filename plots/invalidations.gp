# invalidations.gp - copies invalidated per allocation against the number
# of cores: all invalidations (solid) and those of the allocator's claim of
# the new page's lines (dashed), one colour per protocol and setting.  A
# sweep without allocations shows invalidations per 1000 operations.
#   gnuplot -e "data='DIR/sweep.csv'; out='invalidations.png'" plots/invalidations.gp
# Columns: invalidations, claim_invalidations, allocs, operations.
name = 'invalidations'
dirname(p) = p[strlen(p):] eq '/' ? p : (strlen(p) > 1 ? dirname(p[1:strlen(p) - 1]) : './')
load dirname(ARG0) . 'common.gp'

stats data using (has('allocs') && column('allocs') > 0) nooutput
if (STATS_sum > 0) {
	set title sprintf('Invalidations per allocation: %s', wl)
	set ylabel 'invalidations per allocation'
	plot for [k = 1:nseries] data every ::first(k)::last(k) \
		using 'cores':(per(column('invalidations'), column('allocs'))) \
		with linespoints ls colour(k) title series(k), \
	     for [k = 1:nseries] data every ::first(k)::last(k) \
		using 'cores':(per(column('claim_invalidations'), column('allocs'))) \
		with linespoints ls colour(k) dt 2 notitle, \
	     keyentry with lines lc 'black' lw 2 title 'all', \
	     keyentry with lines lc 'black' lw 2 dt 2 title 'by page claims'
} else {
	set title sprintf('Invalidations per 1000 operations: %s (no allocations)', wl)
	set ylabel 'invalidations per 1000 operations'
	plot for [k = 1:nseries] data every ::first(k)::last(k) \
		using 'cores':(per(1000 * column('invalidations'), column('operations'))) \
		with linespoints ls colour(k) title series(k)
}
