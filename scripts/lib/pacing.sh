# Sourced by the benchmark scripts that pace wrk with Benchmarks/lib/pace.lua:
# PACE_MS (each connection's wait between requests) and PACE_JITTER_MS (the
# wait drawn uniformly from PACE_MS +/- this), both optional.

# Refuses bad settings before anything is built or started (exit 2).
pacing_validate() {
  case "${PACE_MS:-}" in
    "") ;;
    *[!0-9]* | 0*) echo "PACE_MS must be a whole number of milliseconds above 0, not '$PACE_MS'" >&2; exit 2 ;;
  esac
  [ -n "${PACE_JITTER_MS:-}" ] || return 0
  case "$PACE_JITTER_MS" in
    *[!0-9]* | 0[0-9]*) echo "PACE_JITTER_MS must be a whole number of milliseconds, not '$PACE_JITTER_MS'" >&2; exit 2 ;;
  esac
  if [ -z "${PACE_MS:-}" ]; then echo "PACE_JITTER_MS needs PACE_MS" >&2; exit 2; fi
  if [ "$PACE_JITTER_MS" -gt "$PACE_MS" ]; then echo "PACE_JITTER_MS ($PACE_JITTER_MS) must not exceed PACE_MS ($PACE_MS)" >&2; exit 2; fi
}

# pacing_check_rate REQS_PER_S CONNECTIONS: paced connections cannot go faster
# than one request per wait each (the jitter keeps the mean wait at PACE_MS).
# A run that did measured a script that failed to pace, not the paced load.
pacing_check_rate() {
  [ -n "${PACE_MS:-}" ] || return 0
  if awk -v r="$1" -v c="$2" -v p="$PACE_MS" 'BEGIN {exit !(r > 1.1 * c * 1000 / p)}'; then
    echo "$1 req/s is more than $2 connections waiting ${PACE_MS} ms allow: the pacing did not take effect" >&2
    exit 1
  fi
}

# "PACE_MS=.. PACE_JITTER_MS=.." for a Command: line, or nothing.
pacing_describe() {
  echo "${PACE_MS:+ PACE_MS=$PACE_MS}${PACE_JITTER_MS:+ PACE_JITTER_MS=$PACE_JITTER_MS}"
}
