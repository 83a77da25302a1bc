#!/usr/bin/env bash
# Runs the benchmark suites of Benchmarks/ (ordo-one/benchmark, release build).
#
# Usage: scripts/bench.sh [TARGET_REGEX] [extra options for `swift package benchmark run` ...]
#   scripts/bench.sh                      # every suite
#   scripts/bench.sh MVMBenchmarks        # one suite (the regex must match the whole target name)
#   scripts/bench.sh MVMBenchmarks --filter 'forward.*'
#   scripts/bench.sh MVMBenchmarks --allocation-stacks   # where (and whether) the measured region allocates
#
# Timings on a shared machine vary; compare benchmarks of the same run (docs/performance.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
target="${1:-.*}"
shift || true
cd Benchmarks
exec swift package --allow-writing-to-package-directory benchmark run --target "$target" --no-progress "$@"
