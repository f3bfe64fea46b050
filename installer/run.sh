#!/usr/bin/env bash
# Quick start (a): install what is missing, build, and run Kafka Collab Lab on the embedded cluster.
# With a display it opens the window; without one it runs the default pipeline headless for 20 s,
# prints the live figures each second and writes a report (build/release/headless-report.json).
# Extra arguments go to the app, e.g.  installer/run.sh --headless --duration 60 --rate 500
set -euo pipefail
cd "$(dirname "$0")/.."
./installer/install-deps.sh --build
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)"
app=build/release/app/kafka-collab-lab
if [ $# -eq 0 ] && [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$app" --headless --duration 20 --report build/release/headless-report.json
fi
exec "$app" "$@"
