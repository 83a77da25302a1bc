#!/usr/bin/env bash
# Builds the DocC documentation of every module into one archive (swift-docc-plugin; the catalog
# is Sources/CrossbarKit/CrossbarKit.docc). Usage: scripts/docs.sh [OUTPUT_DIR] (default:
# .build/documentation). Fails if the build fails; prints the number of DocC warnings (missing
# parameter documentation, mostly).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-.build/documentation}"
targets=()
for t in CrossbarKit CrossbarFoundation CrossbarData CrossbarPlot CrossbarDevices CrossbarTile CrossbarAlgorithms \
         CrossbarNetwork CrossbarTraining CrossbarSweep CrossbarExperiments; do
    targets+=(--target "$t")
done
log=$(mktemp)
trap 'rm -f "$log"' EXIT
swift package --allow-writing-to-directory "$out" generate-documentation "${targets[@]}" \
    --enable-experimental-combined-documentation --output-path "$out" 2>&1 | tee "$log" | tail -n 3
echo "docs: documentation archive at $out ($(grep -c "^warning:" "$log" || true) DocC warnings)"
