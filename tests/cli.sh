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
. "$top_srcdir/tests/harness.sh"

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

# A lock taken twice by one core: a deadlock that says so, in both modes
# (the same core model describes it under both clocks).
wl '%labyrinth-workload 1' '0 lock 0x2000' '0 lock 0x2000'
for m in functional timing; do
	expect 4 "lock 0x2000 (.*w.wl:3) wanted by core 0; core 0 already holds it (recursive lock)" -- \
		"$bin" run "$tmp/w.wl" --mode $m
done
wl '%labyrinth-workload 1' '0 alloc r1 GFP_KERNEL' '0 lock_page r1' '0 lock_page r1'
for m in functional timing; do
	expect 4 "page lock of 0x.* (.*w.wl:4) wanted by core 0; core 0 already holds it (recursive lock)" -- \
		"$bin" run "$tmp/w.wl" --mode $m
done

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

# The shipped example workloads against statistics worked out by hand
# (functional mode; workloads/expected/NAME.PROTOCOL.json).
for exp in "$top_srcdir"/workloads/expected/*.json; do
	[ -e "$exp" ] || continue
	base=$(basename "$exp" .json)       # NAME.PROTOCOL
	name=${base%.*}
	proto=${base##*.}
	if "$bin" run "$top_srcdir/workloads/$name.wl" --mode functional --protocol "$proto" \
		--stats-json - >"$tmp/o.json" &&
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

# The kernel allocator's workloads, in functional mode where the numbers
# are exact; they are worked out in each file's comments.
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
# The report has the allocator section; timing mode takes the same paths
# through the buddy lists, so the claims are the same.
expect 0 "" -- "$bin" run "$W/higher-order.wl" $F
grep -q "^allocator  policy pcp" "$tmp/out" && ok || bad "report lacks the allocator section"
printf '%s\n' '{"allocator": {"allocs": 3, "frees": 3, "failures": 0}, "bus": {"BusInv": 896}}' \
	>"$tmp/exp.json"
"$bin" run "$W/higher-order.wl" --mode timing --stats-json - >"$tmp/o.json" &&
	"$subset" "$tmp/exp.json" "$tmp/o.json" >"$tmp/diff" && ok || bad "higher-order in timing mode"
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

# Event traces (docs/events.md).  tests/golden/basic.{mesi,msi,dragon}.tsv
# were worked out by hand from docs/protocols.md and docs/timing.md; runs
# must give them byte for byte after the first line (which names the
# workload by the path it was given).
gold="$top_srcdir/tests/golden"
for p in mesi msi dragon; do
	expect 0 "" -- "$bin" run "$gold/basic.wl" -p $p --set cache.size=128 --set cache.assoc=1 \
		--events "$tmp/e.$p.tsv"
	tail -n +2 "$tmp/e.$p.tsv" >"$tmp/got"
	tail -n +2 "$gold/basic.$p.tsv" >"$tmp/want"
	diff "$tmp/want" "$tmp/got" >"$tmp/diff" && ok || { bad "basic.wl trace under $p"; sed 's/^/    /' "$tmp/diff"; }
	head -1 "$tmp/e.$p.tsv" | grep -q "^# labyrinth-events 1 protocol=$p mode=timing cores=2 line=64 workload=.*basic.wl$" &&
		ok || bad "first line of the $p trace"
done
# Every protocol, both modes, with a lock: the trace agrees with the JSON
# (events = accesses, each transaction, transfers, invalidations, memory
# reads), and timing traces name the same (core, op_index, wl_line) keys.
trace_json() { # state-0 name; builds the JSON subset a trace implies
	awk -F'\t' -v absent="$1" 'NR > 2 {
		n++
		if ($9 != "-") { k = split($9, t, "+"); for (i = 1; i <= k; i++) bus[t[i]]++ }
		if ($10 ~ /^c/) xfer++
		if ($10 == "memory") reads++
		if ($11 != "-") {
			k = split($11, ch, " ")
			for (i = 1; i <= k; i++) {
				if (ch[i] ~ /@/) continue
				split(ch[i], a, /[:>]/)
				if (a[3] == absent && a[2] != absent && a[1] != "c" $2) inval++
			}
		}
	} END {
		printf "{\"totals\":{\"accesses\":%d,\"c2c_supplied\":%d,\"invalidations_received\":%d},", n, xfer, inval
		printf "\"bus\":{\"BusRd\":%d,\"BusRdX\":%d,\"BusUpgr\":%d,\"BusUpd\":%d,\"BusInv\":%d,\"Flush\":%d},", \
			bus["BusRd"], bus["BusRdX"], bus["BusUpgr"], bus["BusUpd"], bus["BusInv"], bus["Flush"]
		printf "\"memory\":{\"reads\":%d}}\n", reads
	}'
}
printf '%s\n' '%labyrinth-workload 1' '0 lock 0x2000' '0 st 0x1000 1' '0 unlock 0x2000' \
	'1 lock 0x2000' '1 ld 0x1008' '1 unlock 0x2000' '2 rmw add 0x1010 1' '2 ld 0x1000' >"$tmp/lk.wl"
for w in "$gold/basic.wl" "$tmp/lk.wl"; do
	for mode in timing functional; do
		for p in mesi msi moesi mesif dragon; do # mesi first: the others' keys are checked against it
			absent=I; [ $p = dragon ] && absent=-
			"$bin" run "$w" -p $p --mode $mode --set cache.size=128 --set cache.assoc=1 \
				--events "$tmp/c.tsv.gz" --stats-json "$tmp/c.json" >/dev/null 2>"$tmp/err" ||
				{ bad "run $w $p $mode"; continue; }
			gzip -dc "$tmp/c.tsv.gz" >"$tmp/c.tsv"
			trace_json $absent <"$tmp/c.tsv" >"$tmp/want.json"
			"$subset" "$tmp/want.json" "$tmp/c.json" >"$tmp/diff" && ok ||
				{ bad "$w trace and JSON disagree under $p ($mode)"; sed 's/^/    /' "$tmp/diff"; }
			[ $mode = timing ] || continue
			awk -F'\t' 'NR > 2 { print $2, $3, $4 }' "$tmp/c.tsv" | sort -u >"$tmp/keys.$p"
			cmp -s "$tmp/keys.mesi" "$tmp/keys.$p" && ok ||
				bad "$w: the $p trace has other operations than mesi's"
		done
	done
done
# A trace is written whole or not at all; a list of protocols takes no trace.
expect 2 "t.tsv" -- "$bin" run "$gold/basic.wl" --events "$tmp/nodir/t.tsv"
[ -e "$tmp/nodir" ] && bad "an unwritable trace left something" || ok
expect 2 "describes one run" -- "$bin" run "$gold/basic.wl" -p mesi,msi --events "$tmp/t.tsv"
[ -e "$tmp/t.tsv" ] && bad "--events with a list wrote a trace" || ok

# compare --events: MESI against MSI differs where the goldens say (the
# three operations and the one line of docs/events.md); a trace against
# itself and MESI against MOESI (which differ only in state names and
# memory writes here) do not.
expect 0 "" -- "$bin" compare --events "$gold/basic.mesi.tsv" "$gold/basic.msi.tsv"
grep -q "^first divergence: core 0, operation 1 (workload line 6), st$" "$tmp/out" && ok || bad "compare --events first divergence"
grep -q "^  B at cycle 213: BusUpgr, invalidates c1$" "$tmp/out" && ok || bad "compare --events B's side"
grep -q "^3 of 7 operations differ" "$tmp/out" && ok || bad "compare --events count"
grep -q "^0x1000  *3 / 4  *1 / 2  *1 / 1$" "$tmp/out" && ok || bad "compare --events line summary"
grep -c "^0x" "$tmp/out" | grep -q "^1$" && ok || bad "compare --events lists only 0x1000"
expect 0 "" -- "$bin" compare --events "$tmp/e.mesi.tsv" "$gold/basic.mesi.tsv"
grep -q "^no divergence: all 7 operations" "$tmp/out" && grep -q "^no line differs" "$tmp/out" && ok || bad "compare --events on equal traces"
"$bin" run "$gold/basic.wl" -p moesi --set cache.size=128 --set cache.assoc=1 --events "$tmp/e.moesi.tsv" >/dev/null
expect 0 "" -- "$bin" compare --events "$tmp/e.mesi.tsv" "$tmp/e.moesi.tsv"
grep -q "^no divergence" "$tmp/out" && ok || bad "mesi and moesi traces of basic.wl"
expect 2 "two trace files" -- "$bin" compare --events "$gold/basic.mesi.tsv"
expect 2 "not a labyrinth event trace" -- "$bin" compare --events "$gold/basic.mesi.tsv" "$gold/basic.wl"

# compare on statistics: MESI and MOESI on basic.wl differ in exactly one
# statistic, the downgrade's memory write (2 writes against 1); identical
# runs differ in none.
small="--set cache.size=128 --set cache.assoc=1"
# shellcheck disable=SC2086 # $small is two options on purpose
"$bin" run "$gold/basic.wl" -p mesi $small --stats-json "$tmp/m1.json" >/dev/null
# shellcheck disable=SC2086
"$bin" run "$gold/basic.wl" -p mesi $small --stats-json "$tmp/m2.json" >/dev/null
# shellcheck disable=SC2086
"$bin" run "$gold/basic.wl" -p moesi $small --stats-json "$tmp/o1.json" >/dev/null
expect 0 "" -- "$bin" compare --diff-only "$tmp/m1.json" "$tmp/o1.json"
sed 1d "$tmp/out" | awk '{ print $1 }' | tr '\n' ' ' | grep -q "^config.protocol memory.writes $" && ok ||
	{ bad "compare mesi moesi rows"; sed 's/^/    /' "$tmp/out"; }
grep -q "^memory.writes  *2  *1 0.50x$" "$tmp/out" && ok || bad "compare memory.writes ratio"
expect 0 "" -- "$bin" compare -d "$tmp/m1.json" "$tmp/m2.json"
sed -n 2p "$tmp/out" | grep -q "^(no statistic differs)$" && ok || bad "compare identical runs"
expect 0 "" -- "$bin" compare "$tmp/m1.json" "$tmp/o1.json"
grep -q "^totals.accesses  *7  *7 =$" "$tmp/out" && ok || bad "compare shows equal rows without -d"
# shellcheck disable=SC2086
expect 0 "" -- "$bin" run "$gold/basic.wl" -p mesi,moesi $small --stats-json "$tmp/k.json"
grep -q "^memory.writes  *2  *1 0.50x$" "$tmp/out" && ok || bad "run --protocol list table"
expect 0 "" -- "$bin" compare -d "$tmp/k.json"
grep -q "^statistic .*k.json:mesi .*k.json:moesi$" "$tmp/out" && grep -q "^memory.writes  *2  *1 0.50x$" "$tmp/out" &&
	ok || bad "compare reads run --protocol's keyed JSON"
# shellcheck disable=SC2086
expect 0 "" -- "$bin" run "$gold/basic.wl" -p mesi,moesi $small --stats-json -
head -c1 "$tmp/out" | grep -q '{' && ok || bad "--stats-json - with a list is JSON alone"
expect 2 "No such file" -- "$bin" compare "$tmp/m1.json" "$tmp/missing.json"
expect 2 "not JSON" -- "$bin" compare "$tmp/m1.json" "$gold/basic.wl"
expect 2 "at least two runs" -- "$bin" compare "$tmp/m1.json"
expect 2 "named twice" -- "$bin" run "$gold/basic.wl" -p mesi,mesi

# The contention report names the guilty line and why.
expect 0 "" -- "$bin" run "$gold/false-sharing.wl" --hot-lines 3
grep -q "^0x3000  .*  false sharing$" "$tmp/out" && ok || bad "false sharing verdict"
grep -q "^Hot lines: 1 of 1 lines" "$tmp/out" && ok || bad "false sharing: only 0x3000 has traffic"
expect 0 "" -- "$bin" run "$gold/false-sharing.wl" --hot-lines 3 --mode functional
grep -q "^0x3000  *5  *5  *0  *6  false sharing$" "$tmp/out" && ok || bad "false sharing counts"
grep -q "^    core 1: read words -, wrote 1$" "$tmp/out" && ok || bad "false sharing words"
expect 0 "" -- "$bin" run "$gold/true-sharing.wl" --hot-lines 3 --mode functional
grep -q "^0x4000  *5  *5  *0  *6  true sharing$" "$tmp/out" && ok || bad "true sharing verdict"
expect 0 "" -- "$bin" run "$gold/true-sharing.wl" --hot-lines 1 --stats-json -
echo '{"hot_lines":[{"line":16384,"verdict":"true sharing","cores":[{"core":0,"read":[0],"written":[0]},{"core":1,"read":[0],"written":[0]}]}]}' >"$tmp/hot.json"
"$subset" "$tmp/hot.json" "$tmp/out" >"$tmp/diff" && ok || { bad "hot_lines in the JSON"; sed 's/^/    /' "$tmp/diff"; }
expect 2 "hot-lines" -- "$bin" run "$gold/true-sharing.wl" --hot-lines -1

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
