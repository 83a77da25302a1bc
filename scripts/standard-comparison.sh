#!/usr/bin/env bash
# The standard comparison of the benchmark harness: weight-programming error over reference
# offset σ_r ∈ {0, 0.1, 0.2, 0.3, 0.5} × number of states for SGD, TTv2, c-TTv2 and AGAD (the
# paper's Fig. 4), and network test accuracy on Fashion-MNIST over σ_r for fp, SGD, TTv2, c-TTv2
# and AGAD (fc and LeNet-5 under two device settings in full mode). Writes results (JSON lines),
# reports, SVG plots and a summary that decides the paper's claims to docs/results/MODE/
# (README.md there). Resumable: kill it and run it again (a training point resumes from its
# last completed epoch). docs/sweeps.md, "The standard comparison".
#
# Usage: scripts/standard-comparison.sh [--quick | --full] [--jobs K] [--out DIR] [--parts LIST] [--list-parts]
#   --quick (default): about 10 minutes on the project machine (2 cores) after the build.
#   --full: many hours (fc and LeNet-5, 2 device settings, 4 offsets, 3 seeds, several epochs;
#           6 numbers of states × 5 seeds for the programming task). --parts runs a subset.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product crossbar
.build/release/crossbar standard-comparison "$@"
