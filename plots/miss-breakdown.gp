# miss-breakdown.gp - how misses were served, per protocol: stacked bars
# per 1000 accesses (a line from memory, a line from another cache, an
# upgrade of a shared copy, a Dragon update), one group of bars per
# protocol and setting, one bar per core count, from sweep.csv.
#   gnuplot -e "data='DIR/sweep.csv'; out='miss-breakdown.png'" plots/miss-breakdown.gp
# Columns: memory_reads, c2c_transfers, upgrades, updates, accesses.
name = 'miss-breakdown'
dirname(p) = p[strlen(p):] eq '/' ? p : (strlen(p) > 1 ? dirname(p[1:strlen(p) - 1]) : './')
load dirname(ARG0) . 'common.gp'

set title sprintf('Miss breakdown per protocol: %s', wl)
set ylabel 'per 1000 accesses'
set xlabel 'cores, grouped by protocol' offset 0, -1.5
unset logscale x
unset grid
set grid ytics
set offsets 0, 0, graph 0.05, 0
set bmargin 5
set style fill solid 0.85 border rgb '#404040'
set boxwidth 0.8
set xtics scale 0 nomirror

# The parts, bottom up.  Stacking is drawn as boxes of the running total,
# the tallest first, so each part shows as the band above the one below.
parts = 'memory_reads c2c_transfers upgrades updates'
labels = '"miss: line from memory" "miss: line from another cache" "upgrade of a shared copy" "update (Dragon)"'
fills = '#4e79a7 #f28e2b #59a14f #b07aa1'
share(c) = column('accesses') > 0 ? 1000.0 * column(c) / column('accesses') : NaN
upto(p) = p < 1 ? 0 : share(word(parts, p)) + upto(p - 1)
# Bar j of group k at x = (k - 1) * (nc + 1) + j: a gap of one bar between groups.
x(k) = (k - 1) * (nc + 1) + column(0)

set xrange [-1 : nseries * (nc + 1) - 1]
# Above the plot, which needs the width; in the stack's order, top first.
set key tmargin center horizontal
# Group names under the core counts; slanted when the groups are narrow.
if (nc >= 3) {
	do for [k = 1:nseries] {
		set label k series(k) at first (k - 1) * (nc + 1) + (nc - 1) / 2.0, graph 0 \
			center offset 0, -2.2
	}
} else {
	set bmargin 8
	set xlabel offset 0, -4.5
	do for [k = 1:nseries] {
		set label k series(k) at first (k - 1) * (nc + 1) + (nc - 1) / 2.0, graph 0 \
			right rotate by 30 offset 0.5, -2.2
	}
}
plot for [p = words(parts):1:-1] for [k = 1:nseries] data every ::first(k)::last(k) \
	using (x(k)):(upto(p)):xtic(strcol('cores')) with boxes lc rgb word(fills, p) \
	title (k == 1 ? word(labels, p) : '')
