#!/usr/bin/env bash
# Builds the daemon in release mode (Swift runtime linked in, so the binary
# runs without a toolchain) and installs it under PREFIX (default /usr/local):
#
#   PREFIX/bin/service-daemon
#   PREFIX/share/service-daemon/packages.json        the catalogue, as Resources/packages.json is now;
#                                                    the binary finds it from its own location
#   PREFIX/share/doc/service-daemon/                 README.md and every command's --help
#                                                    (service-daemon.txt, service-daemon-bill.txt, ...)
#   PREFIX/lib/systemd/system/service-daemon.service the systemd unit
#   PREFIX/share/service-daemon/service-daemon-billing.cron   the annual billing job, for /etc/cron.d
#
# The unit and the cron file name the binary under PREFIX. DESTDIR stages the
# tree elsewhere (for a package). SERVICE_DAEMON_BINARY installs a binary
# built already instead of building one (the test suite does, inside `swift test`).
set -euo pipefail
cd "$(dirname "$0")/.."

prefix="${1:-/usr/local}"
case "$prefix" in
  /*) prefix="${prefix%/}" ;;
  *) echo "install: PREFIX must be an absolute path, got '$prefix'" >&2; exit 64 ;;
esac
root="${DESTDIR:-}$prefix"

if [ -n "${SERVICE_DAEMON_BINARY:-}" ]; then
  binary="$SERVICE_DAEMON_BINARY"
else
  bash scripts/ensure-deps.sh
  swift build -c release --product service-daemon --static-swift-stdlib
  binary="$(swift build -c release --static-swift-stdlib --show-bin-path)/service-daemon"
fi

docs="$root/share/doc/service-daemon"
install -d "$root/bin" "$root/share/service-daemon" "$docs" "$root/lib/systemd/system"
install -m 0755 "$binary" "$root/bin/service-daemon"
install -m 0644 Resources/packages.json "$root/share/service-daemon/packages.json"
install -m 0644 README.md "$docs/README.md"

# The help of a command and of each of its subcommands, one file each.
document() {
  local name="service-daemon" word
  for word in "$@"; do name="$name-$word"; done
  local help
  help="$("$root/bin/service-daemon" "$@" --help)"
  printf '%s\n' "$help" > "$docs/$name.txt"
  for word in $(printf '%s\n' "$help" | awk '/^SUBCOMMANDS:/ { on = 1; next } on && /^  [a-z][a-z-]* / { print $1 }'); do
    document "$@" "$word"
  done
}
document

sed "s|/usr/local/|$prefix/|g" deploy/service-daemon.service > "$root/lib/systemd/system/service-daemon.service"
sed "s|/usr/local/|$prefix/|g" deploy/service-daemon-billing.cron > "$root/share/service-daemon/service-daemon-billing.cron"
chmod 0644 "$root/lib/systemd/system/service-daemon.service" "$root/share/service-daemon/service-daemon-billing.cron"

echo "installed service-daemon under $root"
