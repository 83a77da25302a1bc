#!/usr/bin/env bash
# The main job: installs what is missing, builds CrossbarKit (release) and runs a short
# comparison of the training algorithms on Fashion-MNIST: the fully connected network `fc`
# (784-256-128-10, sigmoid), one epoch on the first DEMO_TRAIN_SAMPLES training images (default
# 20000), tested on the first DEMO_TEST_SAMPLES test images (default 2000), batch 10, lr 0.1,
# seed 1, with the ReRamSB family of presets:
#   fp (floating point), ReRamSB (in-memory SGD), TTv2ReRamSB, ChoppedTTv2ReRamSB, AGADReRamSB.
# It prints one row per run: algorithm, test accuracy, pulses per sample on the gradient array A
# and on the weight array W (summed over layers), samples/s. About 2 minutes after the build on
# the project machine (2 vCPUs, shared); metrics files are kept in DEMO_OUT (default: a temporary folder).
#
# Usage: scripts/demo.sh [extra options for `crossbar train`, e.g. --threads 2]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product crossbar
bin=.build/release/crossbar
train_samples="${DEMO_TRAIN_SAMPLES:-20000}"
test_samples="${DEMO_TEST_SAMPLES:-2000}"
out="${DEMO_OUT:-$(mktemp -d)}"
mkdir -p "$out"
echo "CrossbarKit demo: fc on Fashion-MNIST, ${train_samples} training / ${test_samples} test images, 1 epoch, batch 10, lr 0.1" >&2
files=()
for config in fp ReRamSB TTv2ReRamSB ChoppedTTv2ReRamSB AGADReRamSB; do
    echo "== ${config}" >&2
    rm -f "$out/$config.jsonl"
    "$bin" train --model fc --config "$config" --epochs 1 --batch-size 10 --lr 0.1 --seed 1 \
        --train-samples "$train_samples" --test-samples "$test_samples" \
        --metrics "$out/$config.jsonl" "$@" > /dev/null
    files+=("$out/$config.jsonl")
done
echo
"$bin" train-report "${files[@]}"
cat <<EOF

Metrics (one JSON line per epoch, with the full configuration): $out
A short run: in-memory SGD moves the weights with every sample; the transfer algorithms (TTv2,
c-TTv2, AGAD) pulse A with every sample (about one pulse per device) but move the weights W
(their array C) only through column transfers — one column of 784 per sample on the first layer —
and AGAD writes C only after one chopper period (50 sweeps of the columns), so they need full
epochs to learn: \`$bin train --model fc --config AGADReRamSB --epochs 1\` trains on all 60 000
images (docs/training.md, docs/performance.md).
EOF
