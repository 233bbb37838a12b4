#!/usr/bin/env bash
# Installs the wrk load generator (Debian package) for the benchmark and soak
# scripts; as non-root it prints the exact command instead.
set -euo pipefail
command -v wrk >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -eq 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
else
  echo "wrk is missing; run: sudo apt-get install -y wrk" >&2
  exit 1
fi
