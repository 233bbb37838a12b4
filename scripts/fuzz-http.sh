#!/usr/bin/env bash
# Fuzzes the HTTP request decoder; see scripts/fuzz.sh.
#   scripts/fuzz-http.sh [seconds, default 300] [extra libFuzzer flags]
exec bash "$(dirname "$0")/fuzz.sh" HTTPParserFuzz "$@"
