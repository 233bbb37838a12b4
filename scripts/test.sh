#!/usr/bin/env bash
# Installs what is missing, then builds and runs every test (unit, HTTP over
# loopback, end to end against the real binary). Arguments go to `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
swift build --build-tests
swift test --skip-build "$@"
