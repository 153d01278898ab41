# bus-utilization.gp - the share of cycles the bus was held against the
# number of cores, one line per protocol and setting, from sweep.csv.
#   gnuplot -e "data='DIR/sweep.csv'; out='bus-utilization.png'" plots/bus-utilization.gp
# Column: bus_utilization, busy cycles / run cycles (0 in functional mode,
# which has no bus timing).
name = 'bus-utilization'
dirname(p) = p[strlen(p):] eq '/' ? p : (strlen(p) > 1 ? dirname(p[1:strlen(p) - 1]) : './')
load dirname(ARG0) . 'common.gp'

set title sprintf('Bus utilization: %s', wl)
set ylabel 'bus utilization (% of cycles)'
set yrange [0:100]
set offsets graph 0.03, graph 0.03, 0, 0
plot for [k = 1:nseries] data every ::first(k)::last(k) \
	using 'cores':(100 * column('bus_utilization')) \
	with linespoints ls colour(k) title series(k)
