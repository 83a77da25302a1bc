#!/bin/bash
# End-to-end test of scripts/sweep-parallel.sh: runs a 12-point weight-programming sweep (TTv2, c-TTv2, AGAD × σ_r × seeds) as 3 GNU-parallel
# shards (installing GNU parallel if missing), then through parallel's --sshlogin path with the
# local pseudo-host ':', kills nothing, and checks both merges equal an unsharded run point for
# point (`crossbar sweep compare`). Also checks that a re-run resumes (nothing runs twice).
#
#   scripts/ci/parallel-test.sh        (root only if GNU parallel must be installed)
set -euo pipefail
t0=$(date +%s.%N)
root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
say() { printf '[parallel-test %5.1fs] %s\n' "$(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN{print a-b}')" "$*"; }
fail() { say "FAIL: $*"; exit 1; }

bin=$root/.build/release/crossbar
if [ ! -x "$bin" ]; then
    say "building the release binary"
    swift build -c release --product crossbar >/dev/null
fi
work=$(mktemp -d /tmp/crossbar-parallel-test.XXXXXX)
trap 'status=$?; if [ $status -eq 0 ] && [ -z "${KEEP:-}" ]; then rm -rf "$work"; else echo "work directory kept: $work"; fi' EXIT

cat > "$work/spec.json" <<'SPEC'
{
  "name": "parallel-ci",
  "base": {"task": "program", "n_states": 20, "updates": 3000,
           "device": {"type": "soft_bounds_reference", "w_max": 1, "w_min": -1, "up_down_dtod": 0.1, "subtract_symmetry_point": true}},
  "axes": [
    {"path": "algorithm", "values": ["ttv2", "c-ttv2", "agad"]},
    {"path": "device.reference_std", "values": [0, 0.3]},
    {"path": "seed", "values": [1, 2]}
  ],
  "metrics": ["weight_error_std"]
}
SPEC

"$bin" sweep run "$work/spec.json" --out "$work/unsharded.jsonl" --jobs 2 --quiet 2>/dev/null

CROSSBAR=$bin "$root/scripts/sweep-parallel.sh" "$work/spec.json" "$work/local" 3 2> "$work/local.log" || { cat "$work/local.log"; fail "sweep-parallel.sh (local) failed"; }
for i in 0 1 2; do [ -s "$work/local/RESULTS.shard-$i.jsonl" ] || fail "missing shard file $i"; done
[ -s "$work/local/report/report.md" ] || fail "no report written"
"$bin" sweep compare "$work/local/RESULTS.jsonl" "$work/unsharded.jsonl" >/dev/null || fail "local shards differ from the unsharded run"
say "3 local shards merged: equal to the unsharded run"

# Resuming: a second run finds every point done.
CROSSBAR=$bin "$root/scripts/sweep-parallel.sh" "$work/spec.json" "$work/local" 3 2> "$work/again.log" || { cat "$work/again.log"; fail "re-run failed"; }
[ "$(grep -c '0 run now' "$work/again.log")" -eq 3 ] || { cat "$work/again.log"; fail "the re-run ran points again"; }
[ "$(wc -l < "$work/local/RESULTS.jsonl")" -eq 12 ] || fail "the re-run duplicated points"
say "re-run resumed: nothing ran twice"

# The --sshlogin code path, with ':' (GNU parallel's name for this machine without ssh).
CROSSBAR=$bin "$root/scripts/sweep-parallel.sh" "$work/spec.json" "$work/hosts" 4 --hosts : 2> "$work/hosts.log" || { cat "$work/hosts.log"; fail "sweep-parallel.sh --hosts : failed"; }
"$bin" sweep compare "$work/hosts/RESULTS.jsonl" "$work/unsharded.jsonl" >/dev/null || fail "--hosts shards differ from the unsharded run"
say "PASS: GNU parallel shards (local and --sshlogin ':') equal the unsharded run"
