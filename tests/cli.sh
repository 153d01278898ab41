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

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
