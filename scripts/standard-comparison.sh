#!/usr/bin/env bash
# The standard comparison of the benchmark harness: weight-programming error over reference
# offset σ_r ∈ {0, 0.1, 0.2, 0.3, 0.5} × number of states for SGD, TTv2, c-TTv2 and AGAD (the
# paper's Fig. 4), and fc test accuracy on Fashion-MNIST over σ_r for fp, TTv2, c-TTv2 and AGAD.
# Writes results (JSON lines), reports, SVG plots and a summary with the paper's claims side by
# side to docs/results/MODE/ (README.md there). Resumable: kill it and run it again.
#
# Usage: scripts/standard-comparison.sh [--quick | --full] [--jobs K] [--out DIR] [--skip-training]
#   --quick (default): about 10 minutes on the project machine (2 cores) after the build.
#   --full: hours (fc for 3 epochs at 5 offsets and 2 seeds; 6 numbers of states, 5 seeds).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift run -c release --package-path Benchmarks StandardComparison "$@"
