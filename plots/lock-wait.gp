# lock-wait.gp - cycles spent waiting per lock acquisition against the
# number of cores: the workload's own locks (solid) and the allocator's
# zone lock (dashed), one colour per protocol and setting, from sweep.csv.
#   gnuplot -e "data='DIR/sweep.csv'; out='lock-wait.png'" plots/lock-wait.gp
# Columns: lock_wait_cycles / lock_acquires, and alloc_lock_wait_cycles /
# alloc_lock_acquisitions.  Wait runs from a lock's first test to its
# acquisition (docs/timing.md).
name = 'lock-wait'
dirname(p) = p[strlen(p):] eq '/' ? p : (strlen(p) > 1 ? dirname(p[1:strlen(p) - 1]) : './')
load dirname(ARG0) . 'common.gp'

set title sprintf('Lock wait per acquisition: %s', wl)
set ylabel 'wait per acquisition (cycles)'
# Latency grows by orders of magnitude with cores: a log scale, 1k = 1000.
set logscale y 10
set yrange [*:*]
set format y '%.0s%c'
stats data using (has('lock_acquires') && column('lock_acquires') > 0) nooutput
user_locks = STATS_sum > 0
stats data using (has('alloc_lock_acquisitions') && column('alloc_lock_acquisitions') > 0) nooutput
zone_lock = STATS_sum > 0
if (!user_locks && !zone_lock) {
	eval nodata('no lock was taken in this sweep')
} else {
	# A kind of lock no point took draws nothing (every value undefined).
	plot for [k = 1:nseries] data every ::first(k)::last(k) \
		using 'cores':(user_locks ? logper(column('lock_wait_cycles'), column('lock_acquires')) : NaN) \
		with linespoints ls colour(k) title series(k), \
	     for [k = 1:nseries] data every ::first(k)::last(k) \
		using 'cores':(zone_lock ? logper(column('alloc_lock_wait_cycles'), \
						column('alloc_lock_acquisitions')) : NaN) \
		with linespoints ls colour(k) dt 2 notitle, \
	     keyentry with lines lc 'black' lw 2 title (user_locks ? 'workload locks' : ''), \
	     keyentry with lines lc 'black' lw 2 dt 2 title (zone_lock ? 'allocator zone lock' : '')
}
