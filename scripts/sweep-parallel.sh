#!/bin/bash
# Run a CrossbarKit sweep as N shards with GNU parallel — on this machine, or over ssh hosts —
# then merge the shards and write the report.
#
#   scripts/sweep-parallel.sh SPEC.json OUTDIR [N] [--hosts h1,h2,…]
#
# N defaults to the number of points, at most the number of CPUs here (4 per host with --hosts).
# With --hosts, GNU parallel runs the shards over ssh (--sshlogin); the hosts need the crossbar
# executable and OUTDIR at the same paths (a shared filesystem); add ':' to the list to use this
# machine as well. Output in OUTDIR: RESULTS.shard-I.jsonl, RESULTS.jsonl, report/.
# Re-running resumes every shard. Exit status: 0 when every point succeeded, else non-zero (the
# merge and report are still written).
#
# Environment: CROSSBAR (the executable; default .build/release/crossbar of this checkout, else
# crossbar on PATH), SWEEP_JOBS (points at once inside each shard, default 1), PARALLEL_JOBS
# (shards at once per host, default: one per CPU).
# GNU parallel is installed with apt when missing (needs root).
set -euo pipefail

usage() { echo "usage: $0 SPEC.json OUTDIR [N] [--hosts h1,h2,...]" >&2; exit 64; }
positional=()
hosts=""
while [ $# -gt 0 ]; do
    case "$1" in
        --hosts) [ $# -ge 2 ] || usage; hosts=$2; shift 2 ;;
        --hosts=*) hosts=${1#--hosts=}; shift ;;
        -h|--help) usage ;;
        *) positional+=("$1"); shift ;;
    esac
done
[ ${#positional[@]} -ge 2 ] && [ ${#positional[@]} -le 3 ] || usage
spec=$(realpath -e -- "${positional[0]}") || { echo "error: no such sweep file: ${positional[0]}" >&2; exit 1; }
mkdir -p -- "${positional[1]}"
outdir=$(cd -- "${positional[1]}" && pwd)
root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)

crossbar=${CROSSBAR:-}
if [ -z "$crossbar" ]; then
    if [ -x "$root/.build/release/crossbar" ]; then crossbar=$root/.build/release/crossbar
    elif command -v crossbar >/dev/null; then crossbar=$(command -v crossbar)
    else echo "error: no crossbar executable: build it (swift build -c release --product crossbar) or set CROSSBAR" >&2; exit 1
    fi
fi
crossbar=$(realpath -e -- "$crossbar")

# GNU parallel (moreutils also ships a 'parallel'; it will not do).
if ! parallel --version 2>/dev/null | grep -q "GNU parallel"; then
    if [ "$(id -u)" -ne 0 ]; then echo "error: GNU parallel is missing; install it (apt-get install parallel)" >&2; exit 1; fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends parallel >/dev/null 2>&1 \
        || { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends parallel >/dev/null; }
    parallel --version 2>/dev/null | grep -q "GNU parallel" || { echo "error: could not install GNU parallel" >&2; exit 1; }
fi

points=$("$crossbar" sweep plan "$spec" --count)   # validates the sweep file first
if [ ${#positional[@]} -eq 3 ]; then
    n=${positional[2]}
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "error: N must be a positive integer, got '$n'" >&2; exit 64; }
else
    if [ -n "$hosts" ]; then
        IFS=, read -r -a host_list <<< "$hosts"
        limit=$(( 4 * ${#host_list[@]} ))
    else
        limit=$(nproc)
    fi
    n=$(( points < limit ? points : limit ))
fi
[ "$n" -le "$points" ] || n=$points
[ "$n" -ge 1 ] || { echo "error: the sweep has no points" >&2; exit 1; }

parallel_args=(--will-cite --halt never --line-buffer --tagstring "shard {}/$n")
[ -n "${PARALLEL_JOBS:-}" ] && parallel_args+=(-j "$PARALLEL_JOBS")
[ -n "$hosts" ] && parallel_args+=(--sshlogin "$hosts")

echo "sweep $(basename -- "$spec"): $points points in $n shards${hosts:+ on $hosts}" >&2
status=0
seq 0 $((n - 1)) | parallel "${parallel_args[@]}" -q \
    "$crossbar" sweep run "$spec" --out "$outdir/RESULTS.shard-{}.jsonl" --shard "{}/$n" --jobs "${SWEEP_JOBS:-1}" --quiet \
    || status=$?

shards=()
for ((i = 0; i < n; i++)); do
    [ -f "$outdir/RESULTS.shard-$i.jsonl" ] && shards+=("$outdir/RESULTS.shard-$i.jsonl")
done
[ ${#shards[@]} -gt 0 ] || { echo "error: no shard produced results" >&2; exit 1; }
"$crossbar" sweep merge "${shards[@]}" --out "$outdir/RESULTS.jsonl"
"$crossbar" sweep report "$outdir/RESULTS.jsonl" --out "$outdir/report" >/dev/null
if [ "$status" -ne 0 ]; then
    echo "some shards did not finish cleanly (GNU parallel exit status $status: that many shards failed); see the errors above" >&2
    exit 2
fi
echo "done: $outdir/RESULTS.jsonl, report in $outdir/report/" >&2
