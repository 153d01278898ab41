# timeline-bus.gp - one timing run over time: bus utilization, coherence
# traffic (bus transactions and invalidations per 1000 cycles) and the
# allocator's free pages, from the timeline that `labyrinth run --timeline
# FILE` writes.
#   gnuplot -e "data='run.timeline'; out='timeline-bus.png'" plots/timeline-bus.gp
# Block 0 of the file: start_cycle, bus_busy_cycles, bus_utilization,
# bus_transactions, invalidations, free_pages (empty before the allocator
# reports).
name = 'timeline-bus'
if (!exists("data")) data = 'timeline.tsv'
if (!exists("out")) out = name . '.png'
ext = out[strlen(out) - 2:]
if (ext eq 'svg') {
	set terminal svg size 800,800 dynamic font 'sans,11'
} else {
	if (ext eq 'pdf') {
		set terminal pdfcairo size 8in,8in font 'sans,10'
	} else {
		set terminal pngcairo size 800,800 font 'sans,10'
	}
}
set output out
set datafile separator tab
base(p) = strstrt(p, '/') ? base(p[strstrt(p, '/') + 1:]) : p

# The bucket width (the second start cycle) and whether free pages appear.
rows = 0; width = 1; frees = 0
set table $scratch
plot data index 0 using (rows = rows + 1, (rows == 2 ? width = $1 : 0), \
	frees = frees + (strcol(6) ne '' ? 1 : 0), 0):(0) with table
unset table
undefine $scratch

set multiplot layout 3, 1 title sprintf('Timeline: %s', base(data)) font ',12'
set grid
set key top right opaque
set xtics nomirror
set ytics nomirror
set lmargin 12
set format x '%.0s%c'
set xlabel ''

set ylabel 'bus utilization (%)'
set yrange [0:100]
plot data index 0 using 1:(100 * $3) with steps lw 1.5 lc rgb '#1f77b4' notitle

set ylabel 'per 1000 cycles'
set yrange [0:*]
plot data index 0 using 1:(1000.0 * $4 / width) with steps lw 1.5 lc rgb '#d62728' \
	title 'bus transactions', \
     '' index 0 using 1:(1000.0 * $5 / width) with steps lw 1.5 lc rgb '#2ca02c' \
	title 'invalidations'

set xlabel sprintf('cycle (buckets of %d cycles)', width)
set ylabel 'free pages'
if (frees == 0) {
	set label 1 'no allocator in this run' at graph 0.5, 0.5 center
	set yrange [0:1]
	unset ytics
	plot data index 0 using 1:(NaN) notitle
} else {
	# Not from 0: the dips are what matters.
	set autoscale y
	plot data index 0 using 1:6 with steps lw 1.5 lc rgb '#9467bd' notitle
}
unset multiplot
