#!/usr/bin/env bash
# test.sh — README command 2: installs what is missing, builds native and WebAssembly,
# and runs every test. .ci/run runs exactly this.
#   GILLAB_SKIP_SETUP=1   skip the install step (when you know it is done)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
t0=$SECONDS
step() { printf '\n=== %s (%ds)\n' "$*" $((SECONDS - t0)); }

[ "${GILLAB_SKIP_SETUP:-}" = 1 ] || { step "setup"; scripts/setup.sh; }
step "build: native, web, wasm tests"
scripts/build.sh native web wasm-tests
step "unit tests (native)"
build/native/gillab_tests
step "UI tests (headless ImGui)"
build/native/gillab_ui_tests
step "unit tests (WebAssembly under Node)"
(cd build/wasm && node --no-experimental-fetch gillab_tests.js)
step "CLI tests"
tests/cli/test_cli.sh build/native/gillab
step "sanitizers: ASan+UBSan (all unit + CLI tests), TSan (threaded tests)"
scripts/sanitize.sh
step "fuzz the parameter parser and the Python front end (libFuzzer, 30 s each)"
scripts/fuzz.sh 30
step "soak: random experiments and parameters for 120 s"
build/native/gillab_soak 120 "$(date +%s)"
step "browser tests (headless Chromium)"
for t in tests/browser/*.test.mjs; do echo "--- $t"; node "$t"; done
step "all tests passed"
