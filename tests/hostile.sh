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

# compute: at most 2^32 cycles a line, 2^48 a core; the cycle counts in
# the report and the JSON agree and are never negative.
wl '%labyrinth-workload 1' '0 compute 18446744073709551615' '0 ld 0x1000'
expect 2 "w.wl:2: expected a cycle count from 0 to 4294967296 (2^32" -- "$bin" run "$tmp/w.wl"
wl '%labyrinth-workload 1' '0 compute 9223372036854775808' '0 ld 0x1000'
expect 2 "w.wl:2: expected a cycle count" -- "$bin" run "$tmp/w.wl" --stats-json "$tmp/s.json"
[ -e "$tmp/s.json" ] && bad "a refused compute wrote JSON" || ok
# 2^32 cycles of compute, then a cold miss (docs/timing.md: the tag check,
# 1 cycle, then BusRd from memory, 2 + 100 + 64/16 = 106, done at 107):
# 4294967296 + 107 = 4294967403, in the report and in the JSON.
wl '%labyrinth-workload 1' '0 compute 4294967296' '0 ld 0x1000'
expect 0 "" -- "$bin" run "$tmp/w.wl" --stats-json "$tmp/s.json"
grep -q "2 operations in 4294967403 cycles" "$tmp/out" && ok || bad "report: 2^32 + 107 cycles"
grep -q '^ "cycles" : 4294967403,' "$tmp/s.json" && ok || bad "JSON: 2^32 + 107 cycles"
# 65537 lines of 2^32 each pass 2^48 on line 65538; so do two blocks of
# 40000 with 400000 loads between them (8 MiB: validated in two halves,
# each under the limit, whose sum is over): the 65537th compute is line
# 2 + 40000 + 400000 + 25536 = 465538, whichever way the file is read.
awk 'BEGIN { print "%labyrinth-workload 1"; for (i = 0; i < 65537; i++) print "0 compute 4294967296" }' \
	>"$tmp/w.wl"
expect 2 "w.wl:65538: core 0 computes 281479271677952 cycles up to here, above the limit of 281474976710656 (2^48)" \
	-- "$bin" run "$tmp/w.wl"
awk 'BEGIN { print "%labyrinth-workload 1"
	for (i = 0; i < 40000; i++) print "0 compute 4294967296"
	for (i = 0; i < 400000; i++) print "0 ld 0x1000                # padding"
	for (i = 0; i < 40000; i++) print "0 compute 4294967296" }' >"$tmp/big.wl"
expect 2 "big.wl:465538: core 0 computes" -- "$bin" run "$tmp/big.wl"
LABYRINTH_SEQUENTIAL_VALIDATE=1 expect 2 "big.wl:465538: core 0 computes" -- "$bin" run "$tmp/big.wl"
rm -f "$tmp/big.wl"

# A NUL in the header is named with its column, not cut off.
printf '%%labyrinth-work\000load 1\n0 ld 0x0\n' >"$tmp/w.wl"
expect 2 "w.wl:1: expected the header '%labyrinth-workload 1', found a NUL byte at column 16" \
	-- "$bin" run "$tmp/w.wl"

# A symbolic link loop, or a link to nothing, says so.
ln -s loop2.wl "$tmp/loop1.wl" && ln -s loop1.wl "$tmp/loop2.wl"
expect 2 "loop1.wl: cannot open: Too many levels of symbolic links" -- "$bin" run "$tmp/loop1.wl"
ln -s nothing.wl "$tmp/dangling.wl"
expect 2 "dangling.wl: cannot open: No such file or directory" -- "$bin" run "$tmp/dangling.wl"

# Settings with an upper limit name it.
wl '%labyrinth-workload 1' '0 ld 0x1000'
expect 2 "memory.latency: '2000000' is too large (expected a non-negative integer, at most 1048576)" \
	-- "$bin" run "$tmp/w.wl" --set memory.latency=2000000
for k in cache.hit_latency bus.snoop_latency bus.c2c_latency; do
	expect 2 "$k: '1048577' is too large" -- "$bin" run "$tmp/w.wl" --set "$k=1048577"
done
expect 2 "system.seed: '9223372036854775808' is too large" -- "$bin" run "$tmp/w.wl" \
	--set system.seed=9223372036854775808
expect 2 "cache.assoc: '8192' is too large (expected a positive integer, at most 4096)" \
	-- "$bin" run "$tmp/w.wl" --set cache.assoc=8192 --set cache.size=1M

echo "hostile: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
