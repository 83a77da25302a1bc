#!/usr/bin/env bash
# Reference offset: weight-programming error (the paper's Fig. 4 task, a 10×10 tile driven to a
# random target) against the device-to-device spread σ_r of the reference conductances of A
# (`device.reference_std`, weight units; the weight range is [−1, 1]), for in-memory SGD, TTv2,
# c-TTv2 and AGAD at 20 states, 3 seeds. TTv2 breaks down as σ_r grows; c-TTv2 and AGAD do not.
# About 10 seconds on 2 cores. Usage: scripts/sweeps/reference-offset.sh [OUTDIR]
source "$(dirname "$0")/common.sh"
run_sweep reference-offset "${1:-sweep-results}" <<'JSON'
{
  "name": "reference-offset",
  "description": "Weight-programming error over the reference offset sigma_r, 20 states.",
  "base": {"task": "program", "n_states": 20, "updates": 10000,
           "device": {"type": "soft_bounds_reference", "w_max": 1, "w_min": -1, "up_down_dtod": 0.1, "subtract_symmetry_point": true}},
  "axes": [
    {"path": "algorithm", "values": ["sgd", "ttv2", "c-ttv2", "agad"]},
    {"path": "device.reference_std", "values": [0, 0.1, 0.2, 0.3, 0.5]},
    {"path": "seed", "values": [1, 2, 3]}
  ],
  "metrics": ["weight_error_std"],
  "report": {"log_y": true}
}
JSON
