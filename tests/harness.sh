# harness.sh - what the end-to-end test scripts share; sourced, not run.
# Sets tmp (removed at exit), counts passes and failures, and defines:
#   ok                       one more check passed
#   bad MESSAGE              one more failed, with MESSAGE
#   expect STATUS PATTERN -- COMMAND...
#                            COMMAND exits with STATUS and, unless PATTERN
#                            is empty, prints a stderr line matching it;
#                            its stdout is in $tmp/out, stderr in $tmp/err
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

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
