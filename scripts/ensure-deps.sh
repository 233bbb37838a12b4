#!/usr/bin/env bash
# Installs what building and running the daemon needs on Debian/Ubuntu:
# the SQLite and OpenSSL headers and the time-zone database; and what the
# tests drive it with: curl, the openssl CLI (HTTPS tests) and the sqlite3
# CLI (scripts/crash-test.sh checks the database behind the daemon's back);
# and any Debian packages named as arguments (scripts/schemathesis.sh asks for
# python3-venv). Quick when everything is present; as non-root it prints the
# exact command.
set -euo pipefail

if ! command -v swift >/dev/null 2>&1; then
  echo "ensure-deps: the Swift toolchain (swift) is not on PATH; install Swift 6 first" >&2
  exit 1
fi

needed=(libsqlite3-dev libssl-dev tzdata pkg-config curl openssl ca-certificates sqlite3 "$@")
missing=()
for package in "${needed[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "ensure-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "ensure-deps: missing packages; run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
