#!/bin/sh
# conformance.sh - the spec's conformance examples (tests/conformance, a
# copy of shared/spec/examples): every workload under every protocol must
# report exactly the expected counts in functional mode.
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
dir="$top_srcdir/tests/conformance"
bin="$top_builddir/labyrinth"
subset="$top_builddir/tests/json_subset"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass=0
fail=0
# manifest.json: one entry per workload with its schedule and cache.
entries=$(tr -d ' \n' <"$dir/manifest.json" | sed 's/},{"workload"/}\n{"workload"/g; s/^\[//; s/\]$//')
for entry in $entries; do
	wl=$(echo "$entry" | sed 's/.*"workload":"\([^"]*\)".*/\1/')
	sched=$(echo "$entry" | sed 's/.*"schedule":"\([^"]*\)".*/\1/')
	size=$(echo "$entry" | sed 's/.*"size":\([0-9]*\).*/\1/')
	assoc=$(echo "$entry" | sed 's/.*"assoc":\([0-9]*\).*/\1/')
	line=$(echo "$entry" | sed 's/.*"line":\([0-9]*\).*/\1/')
	name=${wl%.wl}
	for p in msi mesi moesi mesif dragon; do
		exp="$dir/expected/$name.$p.json"
		out="$tmp/$name.$p.json"
		if "$bin" run "$dir/$wl" --mode functional --schedule "$sched" --protocol "$p" \
			--cache-size "$size" --assoc "$assoc" --line "$line" --stats-json - >"$out" &&
			"$subset" "$exp" "$out" >"$tmp/diff"; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL: $wl under $p"
			sed 's/^/    /' "$tmp/diff" 2>/dev/null
		fi
	done
done
echo "conformance: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
