#!/usr/bin/env bash
# Sets up the machine (Debian packages), builds and runs the whole test suite.
# Statistical tests run in release mode: debug builds of the numeric kernels are too slow.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release -Xswiftc -enable-testing
swift test -c release -Xswiftc -enable-testing "$@"
