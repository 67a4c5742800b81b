#!/usr/bin/env bash
# Installs a Debian/Ubuntu package that some tests need, when it can, so that a fresh machine runs them instead of
# skipping them. Usage: infra/ensure-apt.sh COMMAND PACKAGE   (e.g. infra/ensure-apt.sh psql postgresql-client)
#
# Never fails the build: the tests that need COMMAND skip themselves without it. Installs only as root with apt-get
# (a container or CI image); otherwise prints one line saying how to install it. LEDGERLAKE_NO_APT=1 turns the
# installation off (offline machines, images that must not change).
set -u

command_name="${1:?usage: ensure-apt.sh COMMAND PACKAGE}"
package="${2:?usage: ensure-apt.sh COMMAND PACKAGE}"

if command -v "$command_name" >/dev/null 2>&1; then
  exit 0
fi
if [ "${LEDGERLAKE_NO_APT:-0}" = "1" ]; then
  echo "ensure-apt: $command_name not found and LEDGERLAKE_NO_APT=1; the tests that need it are skipped (apt-get install -y $package)"
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-apt: $command_name not found; the tests that need it are skipped (install $package, e.g. sudo apt-get install -y $package)"
  exit 0
fi

log="$(mktemp "${TMPDIR:-/tmp}/ensure-apt.XXXXXX")"
install() {
  DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y --no-install-recommends "$package" >>"$log" 2>&1
}
# A fresh image has no package lists yet: update once, only when the first attempt fails.
if install || { DEBIAN_FRONTEND=noninteractive timeout 300 apt-get update >>"$log" 2>&1 && install; }; then
  if command -v "$command_name" >/dev/null 2>&1; then
    echo "ensure-apt: installed $package ($command_name)"
    rm -f "$log"
    exit 0
  fi
fi
echo "ensure-apt: could not install $package (see $log); the tests that need $command_name are skipped"
exit 0
