#!/usr/bin/env bash
# Installs what Kafka Collab Lab needs to build, run and test, from Debian 12 packages only.
# Idempotent: packages already present are skipped; apt-get update runs only when something is missing.
# Usage: installer/install-deps.sh [--build] [--test]   (default: both)
set -euo pipefail

BUILD_PKGS=(build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  libqt6sql6-psql libqt6sql6-sqlite libqt6charts6 libqt6opengl6-dev libgl-dev libxkbcommon-dev libvulkan-dev
  librdkafka-dev nlohmann-json3-dev qtkeychain-qt6-dev)
TEST_PKGS=(ccache openjdk-17-jdk-headless maven postgresql kafkacat xvfb xauth fonts-noto-cjk
  curl openssl procps psmisc iproute2 desktop-file-utils gnome-keyring dbus-daemon libsecret-tools libzstd-dev liblz4-dev libssl-dev libsasl2-dev zlib1g-dev dpkg-dev)

want=()
case "${1:-}" in
  --build) want=("${BUILD_PKGS[@]}") ;;
  --test) want=("${TEST_PKGS[@]}") ;;
  *) want=("${BUILD_PKGS[@]}" "${TEST_PKGS[@]}") ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: everything is installed"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
