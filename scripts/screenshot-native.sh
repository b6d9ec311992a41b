#!/usr/bin/env bash
# screenshot-native.sh — opens the native window under Xvfb and saves a PNG of it.
#   scripts/screenshot-native.sh OUT.png [QUERY] [SECONDS]
# QUERY is what the page would get after '?', e.g. "exp=race.counter&autorun=1".
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: screenshot-native.sh OUT.png [QUERY] [SECONDS]}"; query="${2:-autorun=1}"; secs="${3:-3}"
bin="$ROOT/build/native/gillab-window"
[ -x "$bin" ] || { echo "screenshot-native.sh: build first (scripts/build.sh native)" >&2; exit 1; }
disp=":$((90 + RANDOM % 100))"
Xvfb "$disp" -screen 0 1280x720x24 >/dev/null 2>&1 & xpid=$!
trap 'kill $wpid $xpid 2>/dev/null || true' EXIT
sleep 1
DISPLAY="$disp" "$bin" "--query=$query" & wpid=$!
sleep "$secs"
DISPLAY="$disp" import -window root "$out"
echo "saved $out"
