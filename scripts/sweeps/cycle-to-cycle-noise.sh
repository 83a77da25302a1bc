#!/usr/bin/env bash
# Cycle-to-cycle noise: weight-programming error against the pulse-to-pulse noise of the device
# steps (`device.dw_min_std`, in units of the step: each step is dw·(1 + dw_min_std·ξ), ξ ~ N(0,1))
# with and without a reference offset (σ_r ∈ {0, 0.3}), for in-memory SGD, TTv2, c-TTv2 and
# AGAD at 20 states, 2 seeds. A few seconds on 2 cores.
# Usage: scripts/sweeps/cycle-to-cycle-noise.sh [OUTDIR]
source "$(dirname "$0")/common.sh"
run_sweep cycle-to-cycle-noise "${1:-sweep-results}" <<'JSON'
{
  "name": "cycle-to-cycle-noise",
  "description": "Weight-programming error over cycle-to-cycle step noise, 20 states.",
  "base": {"task": "program", "n_states": 20, "updates": 10000,
           "device": {"type": "soft_bounds_reference", "w_max": 1, "w_min": -1, "up_down_dtod": 0.1, "subtract_symmetry_point": true}},
  "axes": [
    {"path": "algorithm", "values": ["sgd", "ttv2", "c-ttv2", "agad"]},
    {"path": "device.dw_min_std", "values": [0, 0.3, 1, 2]},
    {"path": "device.reference_std", "values": [0, 0.3]},
    {"path": "seed", "values": [1, 2]}
  ],
  "metrics": ["weight_error_std"],
  "report": {"x_axes": ["device.dw_min_std"], "fixed": {"device.reference_std": 0.3}, "log_y": true}
}
JSON
