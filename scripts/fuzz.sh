#!/usr/bin/env bash
# Fuzzes the readers of untrusted files with libFuzzer (docs/reliability.md, section Fuzzing).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Targets: json sweep results idx checkpoint (default: all, one after the other), each for
# SECONDS_PER_TARGET seconds (default 600). Builds the nested package Fuzz/ with
# -sanitize=fuzzer,address (flags on the command line; CrossbarKit's manifest has no unsafe
# flags), seeds each corpus from Fuzz/Corpus/<target>/ and keeps the grown corpus, the logs and
# every finding in a work folder outside git (FUZZ_WORK, default .build-fuzz-work/). Exits 1
# when a target found a crash, a timeout (> 10 s per input) or an out-of-memory
# (> 2048 MB), printing the reproducer paths; replay one with
#   .build-fuzz-sanitized/release/fuzz-<target> <reproducer>
# and keep it (minimised: -minimize_crash=1 -runs=10000) in Tests/SweepTests/Fixtures/Fuzz/<target>/,
# where Tests/SweepTests/FuzzReplayTests.swift replays it in every test run.
# FUZZ_KEEP_GOING=1 fuzzes each target for the whole time even after findings (libFuzzer's
# fork mode with one job: -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1) and
# collects every reproducer; by default a target stops at its first finding.
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(json sweep results idx checkpoint)
seconds=${1:-600}
if [ $# -gt 0 ]; then shift; fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
case "$seconds" in ''|*[!0-9]*) echo "error: SECONDS_PER_TARGET must be a whole number of seconds, got '$seconds'" >&2; exit 2 ;; esac
for t in "${targets[@]}"; do
    case " ${all_targets[*]} " in *" $t "*) ;; *) echo "error: unknown target '$t' (known: ${all_targets[*]})" >&2; exit 2 ;; esac
done

scratch=${FUZZ_SCRATCH:-$PWD/.build-fuzz-sanitized}
work=${FUZZ_WORK:-$PWD/.build-fuzz-work}
mkdir -p "$work"

# FUZZ_BIN: a folder of already built fuzz-<target> executables (e.g. a copy, so that a
# rebuild during a long run does not change the executable libFuzzer's fork mode starts).
if [ -n "${FUZZ_BIN:-}" ]; then
    bin=$FUZZ_BIN
else
    swift build -c release --package-path Fuzz --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address
    bin="$scratch/release"
fi

# Largest input per target, in bytes: a few times the largest seed.
max_len() {
    case "$1" in
        json|sweep) echo 16384 ;;
        results) echo 32768 ;;
        idx) echo 4096 ;;
        checkpoint) echo 65536 ;;
    esac
}

# The checkpoint seed is written by the target itself (a checkpoint of its small session).
if [ ! -s Fuzz/Corpus/checkpoint/tiny-session-epoch1.ckpt ]; then
    "$bin/fuzz-checkpoint" --write-checkpoint-seed Fuzz/Corpus/checkpoint/tiny-session-epoch1.ckpt
fi

# Swift's crash backtracer would hold the pipe open after a trap; libFuzzer reports instead.
export SWIFT_BACKTRACE=enable=no
# Leak reports of the Swift runtime's caches are not findings; allocations over the limit are.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=0}

keep_going=()
if [ "${FUZZ_KEEP_GOING:-0}" = 1 ]; then
    keep_going=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
fi

status=0
for t in "${targets[@]}"; do
    corpus="$work/corpus/$t"
    findings="$work/findings/$t"
    log="$work/logs/$t.log"
    mkdir -p "$corpus" "$findings" "$(dirname "$log")"
    started="$work/logs/$t.started"
    touch "$started"
    echo "== fuzz-$t for $seconds s from $(date -u +%H:%M:%S) (corpus $corpus, log $log)"
    set +e
    "$bin/fuzz-$t" "$corpus" "Fuzz/Corpus/$t" \
        -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10 \
        -max_len="$(max_len "$t")" -artifact_prefix="$findings/" -print_final_stats=1 "${keep_going[@]}" >"$log" 2>&1
    code=$?
    set -e
    # Executions: libFuzzer's final statistics, or in fork mode its last status line.
    grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || grep -E '^#[0-9]+:' "$log" | tail -1 || true
    reproducers=$(find "$findings" -type f -newer "$started" \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | sort)
    if [ $code -ne 0 ] || [ -n "$reproducers" ]; then
        status=1
        echo "fuzz-$t: FINDING (exit $code); log $log; reproducers (replay: $bin/fuzz-$t FILE):" >&2
        echo "$reproducers" >&2
    fi
done
exit $status
