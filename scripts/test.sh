#!/usr/bin/env bash
# Installs what is missing, then builds and runs every test (unit, HTTP over
# loopback, end to end against the real binary). Arguments go to `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
swift build --build-tests
swift test --skip-build "$@"
# The benchmark scripts' pacing settings (scripts/tests/pacing.sh), then
# schemathesis against the debug daemon (the API contract, see README
# "Tests"), then kill -9 during ingestion, single writes and billing, three times, against
# the debug binary just built (a release build from scratch would add minutes
# to CI; 20 cycles against the release binary are in BENCHMARKS.md). Only for
# a whole run: `scripts/test.sh --filter X` runs X alone.
if [ $# -eq 0 ]; then
  bash scripts/tests/pacing.sh
  DAEMON=.build/debug/service-daemon bash scripts/schemathesis.sh
  CRASH_TEST_BINARY=.build/debug/service-daemon bash scripts/crash-test.sh 3
fi
