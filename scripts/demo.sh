#!/usr/bin/env bash
# The main job: builds CrossbarKit and runs a short demonstration.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product crossbar
.build/release/crossbar demo "$@"
