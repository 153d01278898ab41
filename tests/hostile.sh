#!/bin/sh
# hostile.sh - end-to-end tests of what a hostile user can feed the
# labyrinth command (issue 18): every case gives one clear message and
# exit status 2 (or runs), never a crash, a hang, runaway memory, a
# silent wrong answer or a half-written output; and the limits of
# docs/cli.md are enforced where the values enter.
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
bin="$top_builddir/labyrinth"
. "$top_srcdir/tests/harness.sh"

wl() { printf '%s\n' "$@" >"$tmp/w.wl"; }

# Every observer at once (checker, contention report, event trace,
# timeline and the allocator's statistics) on a workload that allocates.
expect 0 "" -- "$bin" run "$top_srcdir/workloads/alloc-storm.wl" --check --hot-lines 3 \
	--events "$tmp/e.tsv" --timeline "$tmp/t.tsv"
[ -s "$tmp/e.tsv" ] && [ -s "$tmp/t.tsv" ] && ok || bad "five observers: outputs missing"

# The largest machine the limits allow: 64 cores of 1 GiB caches.  The
# snoop filter grows with the lines cached instead of asking for 32 GiB.
wl '%labyrinth-workload 1' '0 ld 0x1000' '1 st 0x1000 3' '63 ld 0x1000 =3'
expect 0 "" -- "$bin" run "$tmp/w.wl" --cache-size 1G --cores 64
grep -q "^total *3 " "$tmp/out" && ok || bad "64 cores of 1 GiB: no report"

echo "hostile: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
