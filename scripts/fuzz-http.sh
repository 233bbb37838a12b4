#!/usr/bin/env bash
# Fuzzes the HTTP request decoder with libFuzzer (shipped with the Swift
# toolchain). Usage: scripts/fuzz-http.sh [seconds, default 300] [extra libFuzzer flags]
# Crash reproducers land in fuzz/artifacts/; replay one with
#   swift run HTTPParserFuzz fuzz/artifacts/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
swift build --scratch-path .build-fuzz --product HTTPParserFuzz \
  --sanitize=fuzzer --sanitize=address -Xswiftc -DFUZZING
binary=.build-fuzz/debug/HTTPParserFuzz
# Twice a build came out without coverage instrumentation; refuse to "fuzz" blind.
if ! objdump -h "$binary" | grep -q __sancov_cntrs; then
  echo "fuzz build has no coverage counters; remove .build-fuzz and retry" >&2
  exit 1
fi
mkdir -p fuzz/corpus fuzz/artifacts
# A crash must end the run, never start Swift's backtracer (which can hang).
SWIFT_BACKTRACE=enable=no "$binary" fuzz/corpus fuzz/seeds \
  -max_total_time="$seconds" -max_len=4096 -artifact_prefix=fuzz/artifacts/ -print_final_stats=1 "$@"
