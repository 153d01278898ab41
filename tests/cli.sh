#!/bin/sh
# cli.sh - end-to-end tests of the labyrinth command: help and version,
# exit statuses and messages for bad input, --stats-json conventions,
# --dump-config round trip, and the example workloads against their
# expected JSON (workloads/expected/).
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
bin="$top_builddir/labyrinth"
subset="$top_builddir/tests/json_subset"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect STATUS PATTERN -- command...: exit status and a stderr line matching PATTERN
expect() {
	want=$1 pattern=$2
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		bad "$* exited $got, expected $want"; sed 's/^/    /' "$tmp/err"; return
	fi
	if [ -n "$pattern" ] && ! grep -q -- "$pattern" "$tmp/err"; then
		bad "$*: stderr lacks '$pattern'"; sed 's/^/    /' "$tmp/err"; return
	fi
	ok
}

wl() { printf '%s\n' "$@" >"$tmp/w.wl"; }

# Help and version
expect 0 "" -- "$bin" --help
grep -q "run" "$tmp/out" && ok || bad "--help lists no commands"
expect 0 "" -- "$bin" --version
grep -q "^labyrinth [0-9]" "$tmp/out" && ok || bad "--version"
expect 0 "" -- "$bin" run --help
grep -q -- "--protocol" "$tmp/out" && ok || bad "run --help lacks --protocol"
expect 2 "unknown command" -- "$bin" frobnicate

# Bad options and configuration
wl '%labyrinth-workload 1' '0 ld 0x1000'
expect 2 "protocol" -- "$bin" run "$tmp/w.wl" --protocol mosi
expect 2 "Unknown option" -- "$bin" run "$tmp/w.wl" --no-such-option
expect 2 "expected one WORKLOAD" -- "$bin" run
expect 2 "cache.sizee" -- "$bin" run "$tmp/w.wl" --set cache.sizee=4
expect 2 "line" -- "$bin" run "$tmp/w.wl" --line 48
expect 2 "cannot open" -- "$bin" run "$tmp/missing.wl"
printf '[cache]\nsize = lots\n' >"$tmp/bad.ini"
expect 2 "cache.size" -- "$bin" run "$tmp/w.wl" --config "$tmp/bad.ini"

# Bad workloads: FILE:LINE and nothing on stdout
wl '%labyrinth-workload 1' '# fine' '0 ld 0x1001'
expect 2 "w.wl:3:" -- "$bin" run "$tmp/w.wl"
[ -s "$tmp/out" ] && bad "a bad workload printed a report" || ok
wl '%labyrinth-workload 2'
expect 2 "w.wl:1:" -- "$bin" run "$tmp/w.wl"
wl '%labyrinth-workload 1' '0 lock 0x100' '0 unlock 0x100'
expect 2 "schedule" -- "$bin" run "$tmp/w.wl" --schedule file

# A failed =V check: exit 1, FILE:LINE: core C ld ADDR expected V, loaded W
wl '%labyrinth-workload 1' '0 st 0x1000 5' '0 ld 0x1000 =6'
expect 1 "w.wl:3: core 0 ld 0x1000 expected 6, loaded 5" -- "$bin" run "$tmp/w.wl"
[ -s "$tmp/out" ] && bad "a failed check printed a report" || ok

# Deadlock: core 0 finishes holding the lock core 1 wants.
wl '%labyrinth-workload 1' '0 lock 0x2000' '1 compute 1' '1 lock 0x2000'
expect 4 "lock 0x2000 (" -- "$bin" run "$tmp/w.wl"
grep -q "held by core 0, which has finished" "$tmp/err" && ok || bad "deadlock names holder"

# --stats-json -: JSON alone on stdout; with a file, the report still prints.
wl '%labyrinth-workload 1' '0 ld 0x1000' '1 st 0x1000 3'
expect 0 "" -- "$bin" run "$tmp/w.wl" --stats-json -
head -c1 "$tmp/out" | grep -q '{' && ok || bad "--stats-json - is not JSON alone"
expect 0 "" -- "$bin" run "$tmp/w.wl" --stats-json "$tmp/s.json"
grep -q "BusRd" "$tmp/out" && [ -s "$tmp/s.json" ] && ok || bad "report and JSON file"
# An unwritable JSON path fails and leaves nothing behind.
expect 2 "" -- "$bin" run "$tmp/w.wl" --stats-json "$tmp/nodir/s.json"

# Determinism: byte-identical JSON.
"$bin" run "$tmp/w.wl" --stats-json "$tmp/a.json" >/dev/null
"$bin" run "$tmp/w.wl" --stats-json "$tmp/b.json" >/dev/null
cmp -s "$tmp/a.json" "$tmp/b.json" && ok || bad "two runs differ"

# --dump-config loads back and changes nothing.
"$bin" run --set cache.size=65536 --protocol moesi --dump-config >"$tmp/d.ini"
"$bin" run --config "$tmp/d.ini" --dump-config >"$tmp/d2.ini"
cmp -s "$tmp/d.ini" "$tmp/d2.ini" && ok || bad "--dump-config round trip"
grep -q "protocol *= *moesi" "$tmp/d.ini" && ok || bad "--dump-config shows the protocol"

# The shipped example workloads against their expected statistics.
for exp in "$top_srcdir"/workloads/expected/*.json; do
	[ -e "$exp" ] || continue
	base=$(basename "$exp" .json)       # NAME.PROTOCOL
	name=${base%.*}
	proto=${base##*.}
	if "$bin" run "$top_srcdir/workloads/$name.wl" --protocol "$proto" --stats-json - >"$tmp/o.json" &&
		"$subset" "$exp" "$tmp/o.json" >"$tmp/diff"; then ok; else
		bad "workloads/$name.wl under $proto"; sed 's/^/    /' "$tmp/diff"; fi
done

# gen: a file and stdout hold the same bytes for the same seed; the
# output runs; bad patterns and knobs exit 2 and leave no file.
expect 0 "" -- "$bin" gen --help
grep -q "false-sharing" "$tmp/out" && ok || bad "gen --help lists no patterns"
expect 0 "wrote 400 operations for 2 cores" -- "$bin" gen private --cores 2 --ops 400 --seed 5 -o "$tmp/g.wl"
"$bin" gen private --cores 2 --ops 400 --seed 5 >"$tmp/g2.wl"
cmp -s "$tmp/g.wl" "$tmp/g2.wl" && ok || bad "gen: -o and stdout differ"
printf '{"workload": {"cores": 2, "operations": 400}, "totals": {"accesses": 400,
 "invalidations_received": 0, "c2c_supplied": 0}}\n' >"$tmp/g.exp"
if "$bin" run "$tmp/g.wl" --stats-json - >"$tmp/o.json" &&
	"$subset" "$tmp/g.exp" "$tmp/o.json" >"$tmp/diff"; then ok; else
	bad "gen private does not run as expected"; sed 's/^/    /' "$tmp/diff"; fi
expect 0 "" -- "$bin" gen lock-storm --cores 4 --ops 400 -o "$tmp/l.wl.gz"
expect 0 "" -- "$bin" run "$tmp/l.wl.gz" --mode functional
expect 2 "unknown pattern 'nosuch'" -- "$bin" gen nosuch
expect 2 "pattern private does not take --batch" -- "$bin" gen private --batch 2 -o "$tmp/x.wl"
expect 2 "write-fraction must be from 0 to 1" -- "$bin" gen random --write-fraction 1.5 -o "$tmp/x.wl"
[ -e "$tmp/x.wl" ] && bad "a failed gen left its output" || ok

# convert: a din trace runs with the hits and misses worked out by hand;
# bad input exits 2 with FILE:LINE and leaves no output, not even a temporary.
printf '0 1000\n1 1004\n2 400\n0 2000\n0 1008\n' >"$tmp/t.din"
expect 0 "dropped 1 line: instruction fetch 1" -- "$bin" convert --from din "$tmp/t.din" -o "$tmp/t.wl"
printf '{"totals": {"accesses": 4, "hits": 2, "misses": 2}}\n' >"$tmp/t.exp"
if "$bin" run "$tmp/t.wl" --stats-json - >"$tmp/o.json" &&
	"$subset" "$tmp/t.exp" "$tmp/o.json" >"$tmp/diff"; then ok; else
	bad "converted din trace"; sed 's/^/    /' "$tmp/diff"; fi
printf '0 1000\n7 1004\n' >"$tmp/bad.din"
expect 2 "bad.din:2: expected a din label" -- "$bin" convert --from din "$tmp/bad.din" -o "$tmp/bad.wl"
ls -A "$tmp" | grep -q 'bad\.wl' && bad "a failed convert left its output" || ok
expect 2 "unknown format 'pin'" -- "$bin" convert --from pin "$tmp/t.din" -o "$tmp/x.wl"
expect 2 "expected -o OUTPUT" -- "$bin" convert --from din "$tmp/t.din"
expect 2 "cannot open" -- "$bin" convert --from din "$tmp/missing.din" -o "$tmp/x.wl"
# a tid trace keeps its interleaving: it replays under --schedule file
printf '7 L 1000 8\n9 S 1000 8\n7 I 3\n7 L 1000 8\n' >"$tmp/t.tid"
expect 0 "for 2 cores" -- "$bin" convert --from tid "$tmp/t.tid" -o "$tmp/tid.wl"
expect 0 "" -- "$bin" run "$tmp/tid.wl" --mode functional --schedule file

# --check and verify: the checker watches runs in both modes and stays
# silent when all is well; the exhaustive verifier and the random tester
# pass; bad options exit 2.
wl '%labyrinth-workload 1' '0 ld 0x1000' '1 st 0x1000 3' '2 rmw add 0x1000 1' \
	'0 ld 0x1000' '1 lock 0x2000' '2 st 0x1008 9' '1 unlock 0x2000' '0 ld 0x1008'
for p in msi mesi moesi mesif dragon; do
	expect 0 "" -- "$bin" run "$tmp/w.wl" --check --protocol $p --mode functional
	expect 0 "" -- "$bin" run "$tmp/w.wl" --check --protocol $p --mode timing
done
expect 0 "" -- "$bin" verify exhaustive --protocol moesi --cores 3
grep -q "82 states, 1368 transitions, depth 5: no violation" "$tmp/out" && ok || bad "verify exhaustive"
expect 0 "" -- "$bin" verify random --protocol mesif --cores 3 --seed 5 --runs 3
grep -q "seeds 5..7), [0-9]* accesses checked: no violation" "$tmp/out" && ok || bad "verify random"
expect 2 "unknown protocol 'mosi'" -- "$bin" verify exhaustive --protocol mosi
expect 2 "cores must be 1..6" -- "$bin" verify exhaustive --cores 9
expect 2 "unknown check 'fuzz'" -- "$bin" verify fuzz

# The pattern examples are gen's output: each one's fourth line is the
# command, which must still give the same bytes; and each runs.
for f in "$top_srcdir"/workloads/*.wl; do
	args=$(sed -n '4s/^# labyrinth gen //p' "$f")
	[ -n "$args" ] || continue
	# shellcheck disable=SC2086 # the recorded options, word-split on purpose
	"$bin" gen $args >"$tmp/regen.wl" 2>/dev/null
	cmp -s "$f" "$tmp/regen.wl" && ok || bad "$f differs from: labyrinth gen $args"
	"$bin" run "$f" >/dev/null 2>"$tmp/err" && ok || { bad "run $f"; sed 's/^/    /' "$tmp/err"; }
done

# The kernel allocator's workloads (functional mode; timing mode refuses
# them for now).  Key numbers are worked out in each file's comments.
W="$top_srcdir/workloads"
F="--mode functional"
# alloc_json EXPECTED-JSON WORKLOAD ARGS...: run, compare a subset of the JSON
alloc_json() {
	printf '%s\n' "$1" >"$tmp/exp.json"
	shift
	# shellcheck disable=SC2086 # $F is two words on purpose
	if "$bin" run "$@" $F --stats-json - >"$tmp/o.json" 2>"$tmp/err" &&
		"$subset" "$tmp/exp.json" "$tmp/o.json" >"$tmp/diff"; then ok; else
		bad "run $*"; sed 's/^/    /' "$tmp/diff" "$tmp/err"; fi
}
alloc_json '{"allocator": {"allocs": 128, "frees": 128, "failures": 0, "claim_invalidations": 0,
  "allocs_by_path": {"pcp_hit": 112, "refill": 16, "buddy": 0}, "pages_allocated_at_end": 0}}' \
	"$W/alloc-storm.wl"
alloc_json '{"allocator": {"allocs": 128, "zone_lock": {"acquisitions": 256},
  "allocs_by_path": {"buddy": 128}}}' "$W/alloc-storm.wl" --set allocator.policy=global
grep -q '"claim_invalidations" : 0,' "$tmp/o.json" && bad "alloc-storm global: no claim invalidations" || ok
alloc_json '{"allocator": {"claim_invalidations": 64, "traffic": {"claim_c2c": 0}},
  "bus": {"BusInv": 128}}' "$W/cross-core-reuse.wl" --set allocator.policy=global
alloc_json '{"allocator": {"claim_invalidations": 64, "traffic": {"claim_c2c": 64}},
  "bus": {"BusInv": 0}}' "$W/cross-core-reuse.wl" --set allocator.policy=global \
	--set allocator.claim=rfo
alloc_json '{"allocator": {"claim_invalidations": 0}}' "$W/cross-core-reuse.wl"
tiny="--set allocator.zone_pages=16 --set allocator.min_free=8 --set allocator.low=10 --set allocator.high=12"
# shellcheck disable=SC2086 # $tiny is several options
alloc_json '{"allocator": {"allocs": 13, "failures": 3, "reserve_dips": 5, "slowpath": 10,
  "zone": {"free_pages": 3}, "pages_allocated_at_end": 13}}' "$W/reserve-exhaustion.wl" \
	$tiny --set allocator.policy=global
# shellcheck disable=SC2086
alloc_json '{"allocator": {"allocs": 13, "failures": 3, "reserve_dips": 5}}' \
	"$W/reserve-exhaustion.wl" $tiny
expect 2 "set allocator.min_free" -- "$bin" run "$W/reserve-exhaustion.wl" $F \
	--set allocator.zone_pages=16
alloc_json '{"allocator": {"allocs": 3, "frees": 3, "failures": 0, "zone": {"free_pages": 4096},
  "pages_allocated_at_end": 0}, "bus": {"BusInv": 896}}' "$W/higher-order.wl"
# The report has the allocator section; timing mode refuses the allocator.
expect 0 "" -- "$bin" run "$W/higher-order.wl" $F
grep -q "^allocator  policy pcp" "$tmp/out" && ok || bad "report lacks the allocator section"
expect 2 "timing mode does not run" -- "$bin" run "$W/higher-order.wl" --mode timing
# Runtime register errors and a bad free: exit 2 with FILE:LINE.
wl '%labyrinth-workload 1' '0 alloc r1 GFP_KERNEL' '0 ld r1+0x1000'
expect 2 "w.wl:3: offset 0x1000 is beyond the 1-page block in r1" -- "$bin" run "$tmp/w.wl" $F
wl '%labyrinth-workload 1' '0 alloc r1 GFP_KERNEL 3' '0 alloc r2 GFP_NOWAIT' '0 free r2'
# shellcheck disable=SC2086
expect 2 "w.wl:4: free r2: register r2 of core 0 holds no page: its alloc on line 3 failed" -- \
	"$bin" run "$tmp/w.wl" $F $tiny
# A GFP_KERNEL alloc nobody can satisfy: deadlock, exit 4.
wl '%labyrinth-workload 1' '0 alloc r1 GFP_KERNEL 3' '0 alloc r2 GFP_KERNEL'
# shellcheck disable=SC2086
expect 4 "GFP_KERNEL alloc (.*w.wl:3) by core 0 sleeps" -- "$bin" run "$tmp/w.wl" $F $tiny
# lock_page around a critical section, zeroed pages read zero.
wl '%labyrinth-workload 1' '%cores 2' '0 alloc r1 GFP_ATOMIC|__GFP_ZERO' '0 lock_page r1' \
	'0 st r1+0x8 5' '0 ld r1+0x8 =5' '0 unlock_page r1' '0 free r1' \
	'1 alloc r3 GFP_KERNEL 1' '1 ld r3+0x1ff8 =0' '1 free r3'
alloc_json '{"allocator": {"allocs": 2, "frees": 2, "page_locks": {"acquisitions": 1}},
  "cores": [{"lock_acquires": 1}, {"lock_acquires": 0}]}' "$tmp/w.wl"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
