# timeline-heat.gp - a heat map of coherence traffic: bus transactions per
# hot line (rows, hottest at the top) per core (columns) over one timing
# run, from the timeline that `labyrinth run --timeline FILE` writes.
#   gnuplot -e "data='run.timeline'; out='timeline-heat.png'" plots/timeline-heat.gp
# Block 1 of the file: rank, line, core, transactions, invalidations.
name = 'timeline-heat'
if (!exists("data")) data = 'timeline.tsv'
if (!exists("out")) out = name . '.png'
ext = out[strlen(out) - 2:]
if (ext eq 'svg') {
	set terminal svg size 800,600 dynamic font 'sans,11'
} else {
	if (ext eq 'pdf') {
		set terminal pdfcairo size 8in,6in font 'sans,10'
	} else {
		set terminal pngcairo size 800,600 font 'sans,10'
	}
}
set output out
set datafile separator tab
base(p) = strstrt(p, '/') ? base(p[strstrt(p, '/') + 1:]) : p

# The number of cores and hot lines, from the rows themselves.
cores = 0; lines = 0
set table $scratch
plot data index 1 using (cores = ($3 + 1 > cores ? $3 + 1 : cores), \
	lines = ($1 + 1 > lines ? $1 + 1 : lines), 0):(0) with table
unset table
undefine $scratch

set title sprintf('Bus transactions per hot line and core: %s', base(data)) font ',12'
set xlabel 'core'
set ylabel 'line (hottest at the top)'
set cblabel 'bus transactions issued' offset 1, 0
set palette defined (0 '#ffffff', 1 '#fdd49e', 2 '#fc8d59', 3 '#d7301f', 4 '#7f0000')
set cbrange [0:*]
set xrange [-0.5 : cores - 0.5]
set yrange [lines - 0.5 : -0.5]
xstep = cores <= 16 ? 1 : cores / 16
set xtics xstep out nomirror
set ytics out nomirror
set tics front
unset key
if (lines == 0) {
	set label 1 'no bus traffic in this run' at graph 0.5, 0.5 center
	set xrange [0:1]; set yrange [0:1]; unset xtics; unset ytics; unset colorbox
	plot 2 notitle
} else {
	plot data index 1 using 3:1:4:ytic(2) with image
}
