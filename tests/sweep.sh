#!/bin/sh
# sweep.sh - end-to-end tests of labyrinth sweep and labyrinth plot: a small
# grid (1, 2, 4 cores x 2 protocols) gives the expected rows; -j 1 and -j 2
# give the same CSV; resuming runs only what is missing; a failed point is
# reported and does not stop the others; --emit-jobs run through GNU
# parallel (and one Slurm task by hand) then --collect gives the local CSV;
# every figure, and those of a run --timeline, is a real PNG.  Without
# gnuplot the plot checks are skipped and the script exits 77 after the rest.
set -u
# Absolute: some checks run from inside a temporary directory.
top_srcdir=$(cd "${top_srcdir:-.}" && pwd)
top_builddir=${top_builddir:-.}
bin=$(cd "$top_builddir" && pwd)/labyrinth
. "$top_srcdir/tests/harness.sh"

# column NAME FILE: the values of a CSV column, one a line (no quoted commas here)
column() {
	awk -F, -v name="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
		{ print $c }' "$2"
}

grid="--gen lock-storm --ops 120 --seed 3 --cores 1,2,4 --protocol msi,mesi"

# A small sweep: six rows in grid order (cores fastest), all ok, real numbers.
expect 0 "6 points (6 run now, 0 done before)" -- "$bin" sweep $grid -j 2 -o "$tmp/a"
[ "$(wc -l <"$tmp/a/sweep.csv")" -eq 7 ] && ok || bad "sweep.csv is not a header and 6 rows"
head -1 "$tmp/a/sweep.csv" | grep -q '^workload,cores,protocol,status,operations,cycles,' &&
	ok || bad "sweep.csv header: $(head -1 "$tmp/a/sweep.csv")"
[ "$(column cores "$tmp/a/sweep.csv" | tr '\n' ' ')" = "1 2 4 1 2 4 " ] && ok || bad "cores column"
[ "$(column protocol "$tmp/a/sweep.csv" | tr '\n' ' ')" = "msi msi msi mesi mesi mesi " ] &&
	ok || bad "protocol column"
[ "$(column status "$tmp/a/sweep.csv" | sort -u)" = ok ] && ok || bad "a point is not ok"
[ "$(column workload "$tmp/a/sweep.csv" | sort -u)" = lock-storm ] && ok || bad "workload column"
column cycles "$tmp/a/sweep.csv" | grep -qv '^[1-9][0-9]*$' && bad "cycles not all positive" || ok
# Single-core lock-storm has nobody to invalidate; more cores do.
[ "$(column invalidations "$tmp/a/sweep.csv" | head -1)" = 0 ] && ok || bad "1 core invalidated"
[ "$(column invalidations "$tmp/a/sweep.csv" | sed -n 3p)" -gt 0 ] && ok || bad "4 cores: no invalidation"
grep -q "$tmp" "$tmp/a/sweep.csv" && bad "sweep.csv holds a path" || ok
# Each point matches what a plain run of the same command writes.
"$bin" run "$tmp/a/workloads/lock-storm-cores=2.wl" --cores 2 --protocol mesi \
	--stats-json "$tmp/p.json" >/dev/null
cmp -s "$tmp/p.json" "$tmp/a/points/cores=2,protocol=mesi.json" && ok || bad "point JSON differs from run"

# -j does not change the result.
expect 0 "" -- "$bin" sweep $grid -j 1 -o "$tmp/b"
cmp -s "$tmp/a/sweep.csv" "$tmp/b/sweep.csv" && ok || bad "-j 1 and -j 2 differ"

# Resume: points with a JSON are not run again; a missing one is.
touch -d '2001-01-01 00:00' "$tmp/b/points/"*.json
rm "$tmp/b/points/cores=4,protocol=msi.json"
expect 0 "6 points (1 run now, 5 done before)" -- "$bin" sweep $grid -o "$tmp/b"
[ "$(find "$tmp/b/points" -name '*.json' -newer "$tmp/a/sweep.csv" | wc -l)" -eq 1 ] &&
	ok || bad "resume reran finished points"
cmp -s "$tmp/a/sweep.csv" "$tmp/b/sweep.csv" && ok || bad "resumed CSV differs"
# A different workload into the same directory is refused.
expect 2 "holds a sweep of another workload" -- \
	"$bin" sweep --gen lock-storm --ops 121 --seed 3 --cores 1 -o "$tmp/b"

# A failed point: reported, its row kept with status failed, the others run.
printf '%s\n' '%labyrinth-workload 1' '0 st 0x1000 3' '1 ld 0x2000 =1' >"$tmp/f.wl"
expect 1 "point cores=2,protocol=mesi failed: .*f.wl:3: core 1 ld 0x2000 expected 1" -- \
	"$bin" sweep "$tmp/f.wl" --cores 2,3 --protocol mesi -o "$tmp/f"
[ "$(column status "$tmp/f/sweep.csv" | tr '\n' ' ')" = "failed failed " ] && ok || bad "failed status"
[ -s "$tmp/f/points/cores=2,protocol=mesi.err" ] && ok || bad "no .err for a failed point"
printf '%s\n' '%labyrinth-workload 1' '0 st 0x1000 3' '1 ld 0x1000' >"$tmp/g.wl"
# A workload file runs only on core counts it fits; bad options exit 2.
expect 2 "needs at least 2 cores" -- "$bin" sweep "$tmp/g.wl" --cores 1,2 -o "$tmp/g"
expect 2 "unknown protocol 'mosi'" -- "$bin" sweep "$tmp/g.wl" --protocol mesi,mosi -o "$tmp/g"
expect 2 "listed twice" -- "$bin" sweep "$tmp/g.wl" --cores 2,2 -o "$tmp/g"
expect 2 "sweep it with --protocol" -- "$bin" sweep "$tmp/g.wl" --set system.protocol=msi -o "$tmp/g"
expect 2 "cache.sizee" -- "$bin" sweep "$tmp/g.wl" --set cache.sizee=1,2 -o "$tmp/g"
expect 2 "-o DIR is required" -- "$bin" sweep "$tmp/g.wl"
expect 2 "--gen needs --cores" -- "$bin" sweep --gen lock-storm -o "$tmp/g"
expect 2 "unknown pattern" -- "$bin" sweep --gen nosuch --cores 1 -o "$tmp/g"
[ -e "$tmp/g/sweep.csv" ] && bad "a refused sweep wrote sweep.csv" || ok
# --set sweeps a key; the protocol defaults to the configuration's.
expect 0 "" -- "$bin" sweep "$tmp/g.wl" --set cache.assoc=1,2 --mode functional -o "$tmp/s"
head -1 "$tmp/s/sweep.csv" | grep -q '^workload,cores,protocol,mode,cache.assoc,status,' &&
	ok || bad "--set axis header"
[ "$(column cache.assoc "$tmp/s/sweep.csv" | tr '\n' ' ')" = "1 2 " ] && ok || bad "--set axis values"

# --emit-jobs: GNU parallel runs the lines, --collect builds the same CSV.
expect 0 "6 of 6 points to run" -- "$bin" sweep $grid -o "$tmp/c" --emit-jobs "$tmp/jobs"
[ "$(wc -l <"$tmp/jobs")" -eq 6 ] && ok || bad "--emit-jobs wrote $(wc -l <"$tmp/jobs") lines"
grep -q '^#SBATCH --array=1-6$' "$tmp/jobs.slurm" && ok || bad "Slurm array size"
[ -e "$tmp/c/sweep.csv" ] && bad "--emit-jobs ran the points" || ok
expect 1 "point cores=1,protocol=msi has not run" -- "$bin" sweep --collect "$tmp/c"
# One Slurm task, run as Slurm would.
SLURM_ARRAY_TASK_ID=3 sh "$tmp/jobs.slurm" && [ -s "$tmp/c/points/cores=4,protocol=msi.json" ] &&
	ok || bad "Slurm task 3"
if command -v parallel >/dev/null 2>&1; then
	parallel --will-cite -j 2 <"$tmp/jobs" && ok || bad "GNU parallel failed"
else
	echo "note: GNU parallel is not installed (scripts/setup installs it); running the lines with sh"
	while IFS= read -r line; do sh -c "$line" || bad "job: $line"; done <"$tmp/jobs"
fi
expect 0 "" -- "$bin" sweep --collect "$tmp/c"
cmp -s "$tmp/a/sweep.csv" "$tmp/c/sweep.csv" && ok || bad "collected CSV differs from the local one"
# Resubmitting emits only what is missing.
rm "$tmp/c/points/cores=1,protocol=mesi.json"
expect 0 "1 of 6 points to run" -- "$bin" sweep $grid -o "$tmp/c" --emit-jobs "$tmp/jobs2"

# plot: every figure is a PNG (8-byte signature) of a real size.
is_png() {
	[ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
		[ "$(wc -c <"$1")" -gt 2000 ]
}
expect 2 "apt-get install gnuplot-nox" -- env PATH=/nonexistent "$bin" plot "$tmp/a"
if ! command -v gnuplot >/dev/null 2>&1; then
	echo "gnuplot is not installed: plot checks skipped ($pass passed, $fail failed)"
	[ "$fail" -eq 0 ] && exit 77
	exit 1
fi
expect 2 "no such file" -- "$bin" plot "$tmp/nowhere"
# An allocator sweep, so the allocator's figures have something to draw.
expect 0 "" -- "$bin" sweep --gen alloc-storm --ops 160 --seed 1 --cores 1,2,4 \
	--protocol mesi --set allocator.policy=global,pcp -o "$tmp/al"
expect 0 "5 figures" -- "$bin" plot "$tmp/al" -o "$tmp/fig"
[ -s "$tmp/err" ] && grep -qv "5 figures" "$tmp/err" && bad "gnuplot warned: $(cat "$tmp/err")" || ok
for f in alloc-latency lock-wait invalidations bus-utilization miss-breakdown; do
	is_png "$tmp/fig/$f.png" && ok || bad "$f.png is not a PNG"
done
ls -A "$tmp/fig" | grep -q '^\.tmp' && bad "plot left a temporary file" || ok
expect 0 "5 figures" -- "$bin" plot "$tmp/a" --format svg
grep -q '<svg' "$tmp/a/alloc-latency.svg" && ok || bad "svg output"
# The scripts run on their own, as their comments say.
(cd "$tmp" && gnuplot -e "data='al/sweep.csv'; out='own.png'" \
	"$top_srcdir/plots/alloc-latency.gp") && is_png "$tmp/own.png" && ok || bad "a script on its own"

# A timing run's timeline: bus utilization, free pages, the hot-line heat map.
"$bin" gen alloc-storm --cores 4 --ops 160 --seed 1 -o "$tmp/t.wl" 2>/dev/null
expect 0 "" -- "$bin" run "$tmp/t.wl" --timeline "$tmp/t.timeline"
grep -q '^0	[0-9]*	[0-9.]*	[0-9]*	[0-9]*	[0-9][0-9]*$' "$tmp/t.timeline" &&
	ok || bad "the timeline's first bucket has no free pages"
expect 2 "needs timing mode" -- "$bin" run "$tmp/t.wl" --mode functional --timeline "$tmp/x"
expect 0 "2 figures" -- "$bin" plot --timeline "$tmp/t.timeline"
for f in timeline-bus timeline-heat; do
	is_png "$tmp/$f.png" && ok || bad "$f.png is not a PNG"
done

echo "sweep.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
