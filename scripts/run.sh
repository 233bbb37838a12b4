#!/usr/bin/env bash
# Installs what is missing, builds the daemon in release mode and serves on
# 127.0.0.1:8080 with the database at ./data/service.db. Arguments are passed
# to `service-daemon serve` (for example --port 9090).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
swift build -c release --product service-daemon
mkdir -p data
exec .build/release/service-daemon serve "$@"
