#!/usr/bin/env bash
# The main job: installs what is missing, builds CrossbarKit (release) and answers the toolkit's
# question — which in-memory training algorithm survives a reference offset? — in about five
# minutes on two cores:
#   1. the paper's weight-programming task (its Fig. 4) at 20 states over σ_r ∈ {0, …, 0.5} for
#      in-memory SGD, TTv2, c-TTv2 and AGAD, 3 seeds (seconds);
#   2. a short fc run on Fashion-MNIST (DEMO_EPOCHS epochs, default 4; 60 000 images; the
#      paper-like build_config device) at σ_r = 0 and 0.5 — a trend, not converged;
#   3. the converged network results of the committed full comparison (docs/results/full);
# then one verdict line per algorithm and the paths of the SVG figures. Results stay in
# DEMO_OUT (default: a temporary folder); run again with the same DEMO_OUT to resume.
#
# Usage: scripts/demo.sh [extra options for `crossbar offset-comparison`, e.g. --jobs 1]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product crossbar
out="${DEMO_OUT:-$(mktemp -d)}"
.build/release/crossbar offset-comparison --out "$out" --epochs "${DEMO_EPOCHS:-4}" --jobs 2 \
    --full-results docs/results/full "$@"
