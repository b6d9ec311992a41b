#!/usr/bin/env bash
# lab.sh — README command 1: installs what is missing, builds the web lab, serves it on
# localhost and prints the URL.   scripts/lab.sh [--port N]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh" web
exec python3 "$ROOT/web/serve.py" --dir "$ROOT/build/web" "$@"
