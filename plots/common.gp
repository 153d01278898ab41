# common.gp - what every sweep figure shares; each plots/*.gp loads it
# from its own directory.  Not a figure by itself.
#
# In (gnuplot -e "data='DIR/sweep.csv'; out='x.png'" plots/x.gp):
#   data  the sweep.csv of `labyrinth sweep` (default: sweep.csv here)
#   out   the figure; its extension picks the terminal: .png (default,
#         NAME.png), .svg or .pdf
#   name  set by the loading script: its own name, for the default out
#
# Out:
#   wl          the workload's name, for titles
#   nseries     lines per figure: one per combination of the parameters
#               other than cores (protocol, mode, each --set key)
#   nc          points per line: the number of core counts
#   series(k)   line k's title (k from 1), e.g. "mesi, policy=pcp"
#   first(k), last(k)  its rows, for `every ::first(k)::last(k)`: the
#               sweep lists the points of a line together, cores fastest
#   has(c)      1 if column c of the current row is not empty
#   per(a, b)   a / b, undefined (not drawn) when b is 0 or empty
#   logper(a, b) the same, undefined also when a is 0 (for log axes)
#   when(c, v)  v if c, else undefined
#   nodata(msg) a command drawing an empty frame that says msg: eval it
#   colour(k)   line k's line style

if (!exists("data")) data = 'sweep.csv'
if (!exists("out")) out = name . '.png'

ext = out[strlen(out) - 2:]
if (ext eq 'svg') {
	set terminal svg size 800,500 dynamic font 'sans,11'
} else {
	if (ext eq 'pdf') {
		set terminal pdfcairo size 8in,5in font 'sans,10'
	} else {
		if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
			set terminal pngcairo size 800,500 font 'sans,10'
		} else {
			set terminal png size 800,500
		}
	}
}
set output out

set datafile separator comma
set datafile columnheaders

# The last part of a dotted key: allocator.policy -> policy.
short(s) = strstrt(s, '.') ? short(s[strstrt(s, '.') + 1:]) : s
# The parameters of the current row from column i on: every column before
# status except workload (the title's) and cores (the x axis).
params(i) = columnhead(i) eq 'status' ? '' : \
	((columnhead(i) eq 'cores' || columnhead(i) eq 'workload') ? '' : \
	 (columnhead(i) eq 'protocol' ? strcol(i) : short(columnhead(i)) . '=' . strcol(i)) . ', ') \
	. params(i + 1)
title_of_row(dummy) = params(1)[1:strlen(params(1)) - 2]

# One pass over the data through a throw-away table: the workload, the
# first core count, and a title each time the first core count comes round
# again (a new line); nc counts the rows before the second one.
rows = 0; first_cores = ''; wl = ''; titles = ''; nseries = 0; nc = 0
set table $scratch
plot data using (rows = rows + 1, \
	(rows == 1 ? (first_cores = strcol('cores'), wl = strcol('workload')) : 0), \
	(strcol('cores') eq first_cores ? \
	 (titles = titles . ' "' . title_of_row(0) . '"', nseries = nseries + 1) : 0), \
	(nseries == 1 ? nc = nc + 1 : 0), 0):(0) with table
unset table
undefine $scratch

series(k) = word(titles, k)
first(k) = (k - 1) * nc
last(k) = k * nc - 1
has(c) = strcol(c) ne '' ? 1 : 0
per(a, b) = (b > 0) ? a / b : NaN
# The same, undefined when not positive too (for a log axis).
logper(a, b) = (b > 0 && a > 0) ? a / b : NaN
when(cond, v) = cond ? v : NaN
nodata(msg) = sprintf("set label 1 '%s' at graph 0.5, 0.5 center; unset key; " . \
	"unset logscale; unset xtics; unset ytics; unset grid; " . \
	"set xrange [0:1]; set yrange [0:1]; plot 2 notitle", msg)

set title font ',12'
set key outside right top
set grid
set xlabel 'cores'
set logscale x 2
set xtics nomirror
set ytics nomirror
set offsets graph 0.03, graph 0.03, graph 0.05, 0
set yrange [0:*]
# A colour per line (ten, then they repeat); a second quantity of the same
# line reuses its colour, dashed, and the legend says so once (dashed()).
set style line 1 lc rgb '#1f77b4' lw 2 pt 7
set style line 2 lc rgb '#d62728' lw 2 pt 5
set style line 3 lc rgb '#2ca02c' lw 2 pt 9
set style line 4 lc rgb '#9467bd' lw 2 pt 11
set style line 5 lc rgb '#ff7f0e' lw 2 pt 13
set style line 6 lc rgb '#8c564b' lw 2 pt 7
set style line 7 lc rgb '#e377c2' lw 2 pt 5
set style line 8 lc rgb '#7f7f7f' lw 2 pt 9
set style line 9 lc rgb '#bcbd22' lw 2 pt 11
set style line 10 lc rgb '#17becf' lw 2 pt 13
colour(k) = (k - 1) % 10 + 1

# One core count alone: a range around it rather than an empty one.
if (nc == 1) {
	set xrange [real(first_cores) / 1.5 : real(first_cores) * 1.5]
}
