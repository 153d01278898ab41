#!/bin/sh
# layers.sh - the source tree's layers hold (docs/design.md, "Layers").
#
# Each folder of sim/ has a rank; a file may use (include, or call into)
# only its own folder and folders of lower rank, so dependencies run one
# way: cli -> tools -> verify -> report -> engine -> kernel -> machine ->
# input -> util and protocols.  Two checks:
#   - every #include "DIR/x.h" in sim/ names a folder of lower or equal rank;
#   - the symbol graph of the built objects (nm: who calls whom) has no
#     edge toward a higher folder and no cycle between two files (tsort).
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
. "$top_srcdir/tests/harness.sh"

# The layers, lowest first.
rank() {
	case $1 in
	util | protocols) echo 0 ;;
	input) echo 1 ;;
	machine) echo 2 ;;
	kernel) echo 3 ;;
	engine) echo 4 ;;
	report) echo 5 ;;
	verify) echo 6 ;;
	tools) echo 7 ;;
	cli) echo 8 ;;
	*) echo 99 ;;
	esac
}
folder() { # sim/engine/core.c -> engine; protocols/msi.c -> protocols
	case $1 in
	protocols/*) echo protocols ;;
	sim/*/*) p=${1#sim/}; echo "${p%%/*}" ;;
	*) echo "?" ;;
	esac
}

# 1. Includes.
cd "$top_srcdir" || exit 1
for f in sim/*/*.[ch] protocols/*.[ch]; do
	from=$(folder "$f")
	[ "$(rank "$from")" -eq 99 ] && { bad "$f: folder $from has no layer in tests/layers.sh"; continue; }
	for inc in $(sed -n 's/^#include "\([a-z_]*\)\/[^"]*"/\1/p' "$f"); do
		if [ "$(rank "$inc")" -gt "$(rank "$from")" ]; then
			bad "$f includes from $inc/, a higher layer than $from/"
		else
			ok
		fi
	done
done
cd - >/dev/null || exit 1

# 2. Symbols of the built objects.
objs=$(cd "$top_builddir" && find sim protocols -name '*.o' 2>/dev/null | sort)
if [ -z "$objs" ]; then
	bad "no objects under $top_builddir/sim: build first"
else
	(cd "$top_builddir" && for o in $objs; do
		nm --defined-only -g "$o" | awk -v o="$o" 'NF == 3 && $2 ~ /[TDBRCV]/ {print $3, o}'
	done) | sort >"$tmp/defs"
	(cd "$top_builddir" && for o in $objs; do
		nm -u "$o" | awk -v o="$o" '{print $NF, o}'
	done) | sort >"$tmp/uses"
	join "$tmp/uses" "$tmp/defs" | awk '$2 != $3 {print $2, $3}' | sort -u >"$tmp/edges"
	while read -r user definer; do
		if [ "$(rank "$(folder "$definer")")" -gt "$(rank "$(folder "$user")")" ]; then
			bad "$user calls into $definer, a higher layer"
		else
			ok
		fi
	done <"$tmp/edges"
	if tsort "$tmp/edges" >/dev/null 2>"$tmp/loop"; then
		ok
	else
		bad "a cycle between files: $(grep -v 'input contains a loop' "$tmp/loop" | sed 's/^tsort: //' | tr '\n' ' ')"
	fi
fi

echo "layers: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
