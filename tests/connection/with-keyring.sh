#!/usr/bin/env bash
# Runs a test inside a private D-Bus session with a GNOME Keyring of its own (unlocked with a throwaway password, kept
# in a temporary directory): the test meets a real Secret Service, and the user's own keyring is never touched.
# Usage: with-keyring.sh TEST-EXECUTABLE [ARGS...]
set -euo pipefail
for tool in dbus-run-session gnome-keyring-daemon secret-tool; do
  command -v "$tool" >/dev/null || { echo "with-keyring.sh: $tool is missing (installer/install-deps.sh --test installs it)" >&2; exit 1; }
done
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
exec dbus-run-session -- bash -c '
  printf "kcl-test-keyring" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"' with-keyring "$@"
