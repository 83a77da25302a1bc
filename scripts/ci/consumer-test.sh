#!/usr/bin/env bash
# The library as a versioned dependency: clones this repository into a temporary folder, tags
# the clone, and builds examples/consumer (which depends on CrossbarKit by URL and version,
# `from: "0.1.0"`) in release mode against it — SwiftPM refuses packages with unsafe build flags
# there — then runs it: it trains fc with c-TTv2 on 300 images through the public API and
# prints the kernel variant that ran. Checks the output; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone --quiet "$root" "$work/CrossbarKit"
git -C "$work/CrossbarKit" tag 0.1.0
cp -R examples/consumer "$work/consumer"
export CROSSBARKIT_URL="file://$work/CrossbarKit"
swift build -c release --package-path "$work/consumer" 2>&1 | tail -n 3
output=$("$work/consumer/.build/release/Consumer")
echo "$output"
grep -q "kernel variant: " <<<"$output" || { echo "consumer-test: no kernel variant reported" >&2; exit 1; }
grep -q "^epoch 2: " <<<"$output" || { echo "consumer-test: the training did not finish" >&2; exit 1; }
echo "consumer-test: ok (CrossbarKit built and used as a versioned dependency)"
