#!/usr/bin/env bash
# Number of states: weight-programming error against n_states (dw_min = (w_max − w_min)/n_states,
# so fewer states = coarser, noisier steps) × reference offset σ_r, for TTv2, c-TTv2 and AGAD,
# 2 seeds; the report has the paper's Fig. 4 heat map (n_states × σ_r, one panel per algorithm).
# About 5 seconds on 2 cores. Usage: scripts/sweeps/number-of-states.sh [OUTDIR]
source "$(dirname "$0")/common.sh"
run_sweep number-of-states "${1:-sweep-results}" <<'JSON'
{
  "name": "number-of-states",
  "description": "Weight-programming error over number of states x reference offset.",
  "base": {"task": "program", "updates": 10000,
           "device": {"type": "soft_bounds_reference", "w_max": 1, "w_min": -1, "up_down_dtod": 0.1, "subtract_symmetry_point": true}},
  "axes": [
    {"path": "algorithm", "values": ["ttv2", "c-ttv2", "agad"]},
    {"path": "n_states", "values": [5, 10, 20, 50, 100]},
    {"path": "device.reference_std", "values": [0, 0.2, 0.5]},
    {"path": "seed", "values": [1, 2]}
  ],
  "metrics": ["weight_error_std"],
  "report": {"heatmap": ["n_states", "device.reference_std"], "log_x": ["n_states"], "log_y": true}
}
JSON
