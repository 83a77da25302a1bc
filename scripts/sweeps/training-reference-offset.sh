#!/usr/bin/env bash
# Reference offset in network training: test accuracy of the fc network (784-256-128-10, sigmoid)
# on Fashion-MNIST against the reference offset σ_r of the gradient array A
# (`device.reference_std` over the ReRamSB presets: TTv2ReRamSB, ChoppedTTv2ReRamSB,
# AGADReRamSB; fp is the floating-point reference), one epoch on the first 10 000 training
# images, tested on the first 2 000. About 5 minutes on 2 cores.
# Usage: scripts/sweeps/training-reference-offset.sh [OUTDIR]
source "$(dirname "$0")/common.sh"
run_sweep training-reference-offset "${1:-sweep-results}" <<'JSON'
{
  "name": "training-reference-offset",
  "description": "fc test accuracy on Fashion-MNIST over the reference offset of A.",
  "base": {"task": "train", "model": "fc", "data": "fashion-mnist", "device_preset": "ReRamSB",
           "train_samples": 10000, "test_samples": 2000, "epochs": 1, "batch_size": 10, "learning_rate": 0.1},
  "axes": [
    {"path": "algorithm", "values": ["fp", "ttv2", "c-ttv2", "agad"]},
    {"path": "device.reference_std", "values": [0, 0.3, 0.5]},
    {"path": "seed", "values": [1]}
  ],
  "metrics": ["test_accuracy", "train_loss"]
}
JSON
