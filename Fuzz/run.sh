#!/usr/bin/env bash
# Builds the libFuzzer target (fuzzer + address sanitizers on every Swift module), seeds Fuzz/corpus/ and
# fuzzes for SECONDS (default 600) in one process. Exits nonzero if libFuzzer found a crash; the input is then
# in Fuzz/artifacts/. See Fuzz/README.md.
#
#     Fuzz/run.sh [SECONDS]            # or: make fuzz SECONDS_TO_RUN=...
#
# Extra libFuzzer flags can be passed in FUZZ_FLAGS (e.g. FUZZ_FLAGS="-seed=1").
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-600}"
scratch=.build-fuzz
# `--sanitize=fuzzer` makes SwiftPM link the executable with libFuzzer's main. It passes each `--sanitize`
# as its own `-sanitize=` flag and the Swift driver keeps only the last, so `--sanitize=address` would be
# dropped silently: ASan is asked for once, together with the fuzzer, through -Xswiftc (which comes last).
swift build --package-path Fuzz --scratch-path "$scratch" -c release \
    --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
binary="$scratch/release/FurrowFuzz"

mkdir -p Fuzz/corpus Fuzz/artifacts Fuzz/regressions
python3 Fuzz/make_seeds.py Fuzz/corpus

# No Swift backtracer (its memory server trips ASan and can hang the run); shorter malloc stacks (speed).
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-malloc_context_size=8}"

log="Fuzz/artifacts/fuzz-$(date -u +%Y%m%dT%H%M%SZ).log"
echo "fuzz: ${seconds}s, corpus Fuzz/corpus (+ Fuzz/regressions), log $log"
status=0
# Fuzz/corpus is first: new inputs are written there; regressions are read, never written.
# shellcheck disable=SC2086
"$binary" Fuzz/corpus Fuzz/regressions \
    -max_total_time="$seconds" -max_len=8192 -timeout=20 -rss_limit_mb=2048 \
    -artifact_prefix=Fuzz/artifacts/ -print_final_stats=1 ${FUZZ_FLAGS:-} 2>&1 | tee "$log" || status=$?

echo "---"
grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -n 1 || true
grep -E '^(Done [0-9]+ runs|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' "$log" || true
if [ "$status" -ne 0 ]; then
    echo "fuzz: libFuzzer exited with status $status; reproducer in Fuzz/artifacts/ (see the log above)" >&2
fi
exit "$status"
