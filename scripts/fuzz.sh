#!/usr/bin/env bash
# Fuzzes one target with libFuzzer (shipped with the Swift toolchain), under
# AddressSanitizer. Usage: scripts/fuzz.sh TARGET [seconds, default 300] [extra libFuzzer flags]
#   HTTPParserFuzz   the HTTP request decoder (whole, split and byte-by-byte input agree)
#   MeterBatchFuzz   the meter-reading batch scanner against the general JSON path
#   RouterJSONFuzz   JSON bodies through the router: limits, statuses, problem documents
# Crash reproducers land in fuzz/artifacts/; replay one with
#   swift run TARGET fuzz/artifacts/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: scripts/fuzz.sh HTTPParserFuzz|MeterBatchFuzz|RouterJSONFuzz [seconds] [libFuzzer flags]}"
shift
seconds="${1:-300}"
shift || true
case "$target" in
  HTTPParserFuzz) seeds=fuzz/seeds; corpus=fuzz/corpus; max_len=4096 ;;
  MeterBatchFuzz) seeds=fuzz/seeds-meter-batch; corpus=fuzz/corpus-meter-batch; max_len=8192 ;;
  RouterJSONFuzz) seeds=fuzz/seeds-router-json; corpus=fuzz/corpus-router-json; max_len=8192 ;;
  *) echo "unknown fuzz target $target" >&2; exit 64 ;;
esac
build() {
  swift build --scratch-path .build-fuzz --product "$target" \
    --sanitize=fuzzer --sanitize=address -Xswiftc -DFUZZING
}
binary=".build-fuzz/debug/$target"
instrumented() { objdump -h "$binary" | grep -q __sancov_cntrs; }
build
# Incremental fuzz builds sometimes come out without coverage counters;
# rebuild from scratch once rather than fuzz blind.
if ! instrumented; then
  echo "fuzz build lacks coverage counters; rebuilding from scratch" >&2
  rm -rf .build-fuzz
  build
  instrumented || { echo "fuzz build has no coverage counters" >&2; exit 1; }
fi
mkdir -p "$corpus" fuzz/artifacts
# A crash must end the run, never start Swift's backtracer (which can hang).
SWIFT_BACKTRACE=enable=no "$binary" "$corpus" "$seeds" \
  -max_total_time="$seconds" -max_len="$max_len" -artifact_prefix=fuzz/artifacts/ -print_final_stats=1 "$@"
