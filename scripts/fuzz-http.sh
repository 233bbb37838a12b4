#!/usr/bin/env bash
# Fuzzes the HTTP request decoder with libFuzzer (shipped with the Swift
# toolchain). Usage: scripts/fuzz-http.sh [seconds, default 300] [extra libFuzzer flags]
# Crash reproducers land in fuzz/artifacts/; replay one with
#   swift run HTTPParserFuzz fuzz/artifacts/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
build() {
  swift build --scratch-path .build-fuzz --product HTTPParserFuzz \
    --sanitize=fuzzer --sanitize=address -Xswiftc -DFUZZING
}
instrumented() { objdump -h "$binary" | grep -q __sancov_cntrs; }
binary=.build-fuzz/debug/HTTPParserFuzz
build
# Incremental fuzz builds sometimes come out without coverage counters;
# rebuild from scratch once rather than fuzz blind.
if ! instrumented; then
  echo "fuzz build lacks coverage counters; rebuilding from scratch" >&2
  rm -rf .build-fuzz
  build
  instrumented || { echo "fuzz build has no coverage counters" >&2; exit 1; }
fi
mkdir -p fuzz/corpus fuzz/artifacts
# A crash must end the run, never start Swift's backtracer (which can hang).
SWIFT_BACKTRACE=enable=no "$binary" fuzz/corpus fuzz/seeds \
  -max_total_time="$seconds" -max_len=4096 -artifact_prefix=fuzz/artifacts/ -print_final_stats=1 "$@"
