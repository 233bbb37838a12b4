#!/usr/bin/env bash
# The benchmark pacing settings (scripts/lib/pacing.sh): what is refused, what
# is accepted, and the check that a paced run was paced. Run by scripts/test.sh.
set -uo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/pacing.sh
failures=0

# expect STATUS PACE_MS PACE_JITTER_MS
expect_validate() {
  local status
  (PACE_MS=$2 PACE_JITTER_MS=$3 pacing_validate) 2>/dev/null
  status=$?
  if [ "$status" != "$1" ]; then echo "pacing_validate PACE_MS='$2' PACE_JITTER_MS='$3': exit $status, expected $1" >&2; failures=$((failures + 1)); fi
}
expect_validate 0 "" ""
expect_validate 0 10 ""
expect_validate 0 10 0
expect_validate 0 10 5
expect_validate 0 10 10
expect_validate 0 1 1
expect_validate 2 abc ""
expect_validate 2 0 ""
expect_validate 2 010 ""
expect_validate 2 -5 ""
expect_validate 2 "10 " ""
expect_validate 2 "" 5
expect_validate 2 10 11
expect_validate 2 10 08
expect_validate 2 10 x
expect_validate 2 10 -1

# expect STATUS RATE CONNECTIONS PACE_MS
expect_rate() {
  local status
  (PACE_MS=$4 pacing_check_rate "$2" "$3") 2>/dev/null
  status=$?
  if [ "$status" != "$1" ]; then echo "pacing_check_rate $2 req/s, $3 connections, PACE_MS='$4': exit $status, expected $1" >&2; failures=$((failures + 1)); fi
}
expect_rate 0 6270.5 64 10    # 64 connections waiting 10 ms: at most 6 400 req/s
expect_rate 0 7040 64 10      # the 10 % allowance, exactly
expect_rate 1 7041 64 10
expect_rate 1 38002.21 64 10  # an unpaced run
expect_rate 0 38002.21 64 ""  # nothing to check without pacing

[ "$(PACE_MS=10 PACE_JITTER_MS=5 pacing_describe)" = " PACE_MS=10 PACE_JITTER_MS=5" ] || { echo "pacing_describe" >&2; failures=$((failures + 1)); }
[ -z "$(PACE_MS= PACE_JITTER_MS= pacing_describe)" ] || { echo "pacing_describe without pacing" >&2; failures=$((failures + 1)); }

if [ "$failures" -gt 0 ]; then echo "pacing: $failures failed" >&2; exit 1; fi
echo "pacing: settings and rate check ok"
