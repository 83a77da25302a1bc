#!/usr/bin/env bash
# Asymmetry: weight-programming error against the up/down asymmetry of the devices
# (`device.up_down`: up steps are (1 + up_down)·dw_min, down steps (1 − up_down)·dw_min, which
# also moves the symmetry point of a soft-bounds device) and its device-to-device spread
# (`device.up_down_dtod`, zipped with it), with a reference offset σ_r = 0.2, for in-memory SGD,
# TTv2, c-TTv2 and AGAD at 20 states, 2 seeds. A few seconds on 2 cores.
# Usage: scripts/sweeps/asymmetry.sh [OUTDIR]
source "$(dirname "$0")/common.sh"
run_sweep asymmetry "${1:-sweep-results}" <<'JSON'
{
  "name": "asymmetry",
  "description": "Weight-programming error over device asymmetry, sigma_r = 0.2, 20 states.",
  "base": {"task": "program", "n_states": 20, "updates": 10000,
           "device": {"type": "soft_bounds_reference", "w_max": 1, "w_min": -1, "reference_std": 0.2, "subtract_symmetry_point": true}},
  "axes": [
    {"path": "algorithm", "values": ["sgd", "ttv2", "c-ttv2", "agad"]},
    {"path": "device.up_down", "values": [0, 0.1, 0.2, 0.4], "group": "asymmetry"},
    {"path": "device.up_down_dtod", "values": [0.05, 0.1, 0.2, 0.4], "group": "asymmetry"},
    {"path": "seed", "values": [1, 2]}
  ],
  "metrics": ["weight_error_std"],
  "report": {"x_axes": ["device.up_down"], "log_y": true}
}
JSON
