#!/usr/bin/env bash
# Training throughput and accuracy after one epoch of `fc` on the full Fashion-MNIST (60 000
# training, 10 000 test images), batch 10, lr 0.1, seed 1, for the configurations of
# docs/performance.md. Prints the load before and after each run and the comparison table
# (samples/s are wall-clock: run it on an otherwise idle machine, or read them with the load).
#
# Usage: scripts/train-throughput.sh [OUT_DIR] [CONFIG:THREADS ...]
#   default runs: fp:1 ReRamSB:1 TTv2ReRamSB:1 ChoppedTTv2ReRamSB:1 AGADReRamSB:1
#                 TTv2ReRamSB:2 ChoppedTTv2ReRamSB:2 AGADReRamSB:2
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product crossbar
out="${1:-$(mktemp -d)}"
shift || true
runs=("$@")
if [ ${#runs[@]} -eq 0 ]; then
    runs=(fp:1 ReRamSB:1 TTv2ReRamSB:1 ChoppedTTv2ReRamSB:1 AGADReRamSB:1 TTv2ReRamSB:2 ChoppedTTv2ReRamSB:2 AGADReRamSB:2)
fi
mkdir -p "$out"
files=()
for run in "${runs[@]}"; do
    config="${run%%:*}"
    threads="${run##*:}"
    file="$out/$config-t$threads.jsonl"
    rm -f "$file"
    echo "== $config, $threads thread(s); load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    .build/release/crossbar train --model fc --config "$config" --epochs 1 --batch-size 10 --lr 0.1 --seed 1 \
        --threads "$threads" --metrics "$file" --quiet > /dev/null
    echo "   load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    files+=("$file")
done
.build/release/crossbar train-report "${files[@]}"
echo "metrics: $out" >&2
