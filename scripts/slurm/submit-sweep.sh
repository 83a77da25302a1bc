#!/bin/bash
# Submit a CrossbarKit sweep to Slurm: a job array with one shard per task, then a merge job
# (sweep merge + sweep report) that runs when every shard has succeeded.
#
#   scripts/slurm/submit-sweep.sh SPEC.json OUTDIR [N]
#
# N (number of shards) defaults to the number of points, at most 8. All output goes to OUTDIR:
# RESULTS.shard-I.jsonl, RESULTS.jsonl (merged), report/, the Slurm logs slurm-<array>_<task>.out
# and merge-<job>.out, and jobs.env (ARRAY_JOB=…, MERGE_JOB=…, SHARDS=…) for scripts that poll.
#
# Environment:
#   CROSSBAR             the crossbar executable (default: .build/release/crossbar of this checkout,
#                        else crossbar on PATH); it must be reachable at the same path on the nodes
#   SWEEP_JOBS           points run at once inside each shard (default 1; also set --cpus-per-task)
#   SWEEP_MAX_PARALLEL   at most this many array tasks run at once (the %M throttle)
#   SWEEP_SBATCH_ARGS    extra sbatch options for both jobs, e.g. "--partition=cpu --time=02:00:00"
#   SLURM_CONF, SBATCH_* are honoured by sbatch as usual.
# The sweep file is validated (crossbar sweep plan) before anything is submitted.
set -euo pipefail

usage() { echo "usage: $0 SPEC.json OUTDIR [N]" >&2; exit 64; }
[ $# -ge 2 ] && [ $# -le 3 ] || usage
spec=$(realpath -e -- "$1") || { echo "error: no such sweep file: $1" >&2; exit 1; }
mkdir -p -- "$2"
outdir=$(cd -- "$2" && pwd)
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
root=$(cd -- "$here/../.." && pwd)

crossbar=${CROSSBAR:-}
if [ -z "$crossbar" ]; then
    if [ -x "$root/.build/release/crossbar" ]; then crossbar=$root/.build/release/crossbar
    elif command -v crossbar >/dev/null; then crossbar=$(command -v crossbar)
    else echo "error: no crossbar executable: build it (swift build -c release --product crossbar) or set CROSSBAR" >&2; exit 1
    fi
fi
crossbar=$(realpath -e -- "$crossbar")
command -v sbatch >/dev/null || { echo "error: sbatch not found (is this a Slurm submit host?)" >&2; exit 1; }

points=$("$crossbar" sweep plan "$spec" --count)   # validates the sweep file; fails loudly if it is wrong
if [ $# -eq 3 ]; then
    n=$3
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "error: N must be a positive integer, got '$n'" >&2; exit 64; }
else
    n=$(( points < 8 ? points : 8 ))
fi
if [ "$n" -gt "$points" ]; then
    echo "note: $points points: using $points shards instead of $n" >&2
    n=$points
fi
[ "$n" -ge 1 ] || { echo "error: the sweep has no points" >&2; exit 1; }

name=$(basename -- "$spec" .json)
array="0-$((n - 1))${SWEEP_MAX_PARALLEL:+%$SWEEP_MAX_PARALLEL}"
read -r -a extra <<< "${SWEEP_SBATCH_ARGS:-}"

array_job=$(sbatch --parsable --array="$array" --job-name="sweep-$name" --chdir="$outdir" \
    --output="$outdir/slurm-%A_%a.out" --cpus-per-task="${SWEEP_JOBS:-1}" \
    --export="ALL,CROSSBAR=$crossbar,SWEEP_SPEC=$spec,SWEEP_OUT=$outdir,SWEEP_SHARDS=$n,SWEEP_JOBS=${SWEEP_JOBS:-1}" \
    "${extra[@]}" "$here/sweep.sbatch")
array_job=${array_job%%;*}

shards=()
for ((i = 0; i < n; i++)); do shards+=("$outdir/RESULTS.shard-$i.jsonl"); done
merge=$(printf '%q ' "$crossbar" sweep merge "${shards[@]}" --out "$outdir/RESULTS.jsonl")
report=$(printf '%q ' "$crossbar" sweep report "$outdir/RESULTS.jsonl" --out "$outdir/report")
merge_job=$(sbatch --parsable --dependency="afterok:$array_job" --kill-on-invalid-dep=yes \
    --job-name="sweep-$name-merge" --chdir="$outdir" --output="$outdir/merge-%j.out" \
    "${extra[@]}" --wrap="set -e; $merge; $report")
merge_job=${merge_job%%;*}

printf 'ARRAY_JOB=%s\nMERGE_JOB=%s\nSHARDS=%s\nPOINTS=%s\n' "$array_job" "$merge_job" "$n" "$points" > "$outdir/jobs.env"
echo "submitted sweep '$name': $points points in $n shards as array job $array_job; merge job $merge_job (after all shards succeed)"
echo "results: $outdir/RESULTS.jsonl, report: $outdir/report/ (squeue -j $array_job,$merge_job to follow)"
