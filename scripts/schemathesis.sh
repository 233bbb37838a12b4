#!/usr/bin/env bash
# Property-based API testing with schemathesis against a live daemon: the
# daemon (debug build unless DAEMON names a binary) serves a fresh database
# seeded with dealers, keys, devices, contracts, readings, service requests,
# DMS events and a billing run (scripts/schemathesis/seed.py); schemathesis
# reads GET /openapi.json and runs every operation in every phase (examples,
# coverage, fuzzing, stateful through the document's links) with every
# check. Fails on any finding, on any 5xx, and on a "handler failed" line in
# the daemon's log. Bounded: MAX_EXAMPLES per operation (default 25), and
# the run is stopped after TIME_LIMIT seconds (default 600).
#
#   scripts/schemathesis.sh                     # as scripts/test.sh runs it
#   MAX_EXAMPLES=200 scripts/schemathesis.sh    # a longer hunt
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/listening.sh

SCHEMATHESIS_VERSION=4.32.5
MAX_EXAMPLES=${MAX_EXAMPLES:-25}
TIME_LIMIT=${TIME_LIMIT:-600}
SEED=${SEED:-20261201}
DAEMON=${DAEMON:-.build/debug/service-daemon}

bash scripts/ensure-deps.sh python3 python3-venv
venv=.build/schemathesis-venv
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  echo "schemathesis: installing schemathesis $SCHEMATHESIS_VERSION into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
[ -x "$DAEMON" ] || swift build --product service-daemon

work=$(mktemp -d)
daemon_pid=
cleanup() {
  if [ -n "$daemon_pid" ]; then kill "$daemon_pid" 2>/dev/null || true; wait "$daemon_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export SERVICE_DAEMON_DB="$work/service.db" SERVICE_DAEMON_CATALOGUE="$PWD/Resources/packages.json"
"$DAEMON" migrate >/dev/null
admin=$("$DAEMON" keys create --role admin)
"$DAEMON" serve --port 0 --log-level info 2>"$work/daemon.log" &
daemon_pid=$!
base="http://$(listening_address "$work/daemon.log" "$daemon_pid" schemathesis)"

"$venv/bin/python" scripts/schemathesis/seed.py "$base" "$admin" >"$work/seed.env"

status=0
# The built-in positive_data_acceptance check is replaced by the one in
# hooks.py, which also accepts the refusals no schema can express (clock,
# cross-field and stored-state rules) and nothing else.
CI=true SCHEMATHESIS_HOOKS="$PWD/scripts/schemathesis/hooks.py" timeout "$TIME_LIMIT" "$venv/bin/schemathesis" \
  --config-file "$PWD/scripts/schemathesis/schemathesis.toml" run "$base/openapi.json" \
  --checks all --exclude-checks positive_data_acceptance --max-examples "$MAX_EXAMPLES" --seed "$SEED" --workers 1 --no-color \
  --header "Authorization: Bearer $admin" \
  --request-timeout 30 --suppress-health-check all \
  >"$work/schemathesis.out" 2>&1 || status=$?
cat "$work/schemathesis.out"
if grep -q '"handler failed"' "$work/daemon.log"; then
  echo "schemathesis: the daemon logged handler failures:" >&2
  grep '"handler failed"' "$work/daemon.log" | head -20 >&2
  status=1
fi
summary=$(grep -E '^=+ .* in [0-9.]+s =+$' "$work/schemathesis.out" | tail -1 | sed -E 's/^=+ //; s/ =+$//' || true)
echo "schemathesis result: ${summary:-no summary line} (exit $status, max-examples $MAX_EXAMPLES, seed $SEED)"
exit "$status"
