#!/usr/bin/env bash
# Sets up the machine (Debian packages), builds and runs the whole test suite, then the
# end-to-end tests: CrossbarKit as a versioned dependency of another package
# (scripts/ci/consumer-test.sh), the DocC documentation (scripts/docs.sh), a user sweep script killed and resumed
# (scripts/ci/sweep-script-test.sh), GNU-parallel shards (scripts/ci/parallel-test.sh) and a
# real one-node Slurm cluster (scripts/ci/slurm-test.sh, needs root; skipped with a notice
# otherwise). Statistical tests run in release mode: debug builds of the numeric kernels are too
# slow. Arguments are passed to `swift test` (e.g. --filter NAME); with arguments, the
# end-to-end script tests are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release -Xswiftc -enable-testing
swift test -c release -Xswiftc -enable-testing "$@"
if [ $# -eq 0 ]; then
    scripts/ci/consumer-test.sh
    scripts/docs.sh "$(mktemp -d)"
    scripts/ci/sweep-script-test.sh
    scripts/ci/parallel-test.sh
    if [ "$(id -u)" -eq 0 ]; then
        scripts/ci/slurm-test.sh
    else
        echo "scripts/ci/slurm-test.sh skipped: it needs root (installs Slurm, starts its daemons)" >&2
    fi
fi
