#!/bin/bash
# End-to-end test of a user sweep script (scripts/sweeps/reference-offset.sh): start it, kill it
# mid-sweep, run it again, and check that the second run finished every point, skipped the ones
# already recorded, duplicated none, and wrote the report (table and plots).
#
#   scripts/ci/sweep-script-test.sh
set -euo pipefail
t0=$(date +%s.%N)
root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
say() { printf '[sweep-script-test %5.1fs] %s\n' "$(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN{print a-b}')" "$*"; }
fail() { say "FAIL: $*"; exit 1; }

bin=$root/.build/release/crossbar
if [ ! -x "$bin" ]; then
    say "building the release binary"
    swift build -c release --product crossbar >/dev/null
fi
work=$(mktemp -d /tmp/crossbar-sweep-script-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
results=$work/reference-offset.jsonl
export CROSSBAR=$bin SWEEP_JOBS=2

# Run in its own process group so the kill takes the script and crossbar together.
setsid scripts/sweeps/reference-offset.sh "$work" > "$work/first.log" 2>&1 &
pid=$!
for ((i = 0; i < 600; i++)); do
    n=$( (grep -c '' "$results" 2>/dev/null) || true)
    [ "${n:-0}" -ge 6 ] && break
    sleep 0.1
done
kill -KILL -- "-$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
before=$(grep -c '"status":"ok"' "$results" || true)
total=$("$bin" sweep plan "$work/reference-offset.json" --count)
say "killed after $before of $total points"
[ "$before" -ge 1 ] && [ "$before" -lt "$total" ] || fail "the kill did not land mid-sweep ($before of $total)"

scripts/sweeps/reference-offset.sh "$work" > "$work/second.log" 2>&1 || { cat "$work/second.log"; fail "the second run failed"; }
lines=$(grep -c '' "$results")
ids=$(grep -o '"id":"[0-9a-f]*"' "$results" | sort -u | wc -l)
[ "$ids" -eq "$total" ] || fail "$ids distinct points recorded, expected $total"
[ "$lines" -eq "$total" ] || fail "$lines lines for $total points: a point was recorded twice"
grep -q "$before already done" "$work/second.log" \
    || { cat "$work/second.log"; fail "the second run did not skip the $before points already done"; }
[ -s "$work/reference-offset/report.md" ] && [ -s "$work/reference-offset/report.csv" ] || fail "no report written"
ls "$work/reference-offset/"*.svg >/dev/null 2>&1 || fail "no plots written"
say "PASS: $total points, $before before the kill, none lost or duplicated; report and plots written"
