#!/usr/bin/env bash
# build.sh — builds GIL Lab. Targets (any number, default "native web"):
#   native        build/native        Release: gillab (CLI), gillab-window, gillab_tests
#   native-debug  build/native-debug  Debug build of the same
#   web           build/wasm + build/wasm-st, assembled into build/web (the folder to host)
#   wasm-tests    build/wasm          the doctest suite, the CLI and the benchmarks as WebAssembly
#                                     for Node (gillab_tests.js, gillab.js, gillab_bench.js), in the
#                                     page's build folder: one WebAssembly build of the engine
#                                     serves both (each executable links its own pool size)
# Needs scripts/setup.sh to have run (the README's commands do that first).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"
JOBS="${JOBS:-$(nproc)}"
targets=("$@"); [ ${#targets[@]} -eq 0 ] && targets=(native web)

cmake_native() {  # $1 dir, $2 build type, extra args...
  local dir="$1" type="$2"; shift 2
  cmake -S "$ROOT" -B "$ROOT/build/$dir" -DCMAKE_BUILD_TYPE="$type" -DIMGUI_DIR="$IMGUI_DIR" "$@" >/dev/null
  cmake --build "$ROOT/build/$dir" -j"$JOBS"
}
cmake_wasm() {  # $1 dir, $2 targets (space-separated, "" = all), extra args...
  local dir="$1" targets="$2"; shift 2
  emcmake cmake -S "$ROOT" -B "$ROOT/build/$dir" -DCMAKE_BUILD_TYPE=Release -DIMGUI_DIR="$IMGUI_DIR" "$@" >/dev/null
  local t=(); for x in $targets; do t+=(--target "$x"); done
  cmake --build "$ROOT/build/$dir" -j"$JOBS" "${t[@]}"
}
# The threaded WebAssembly build: the page's lab.js, and for Node the tests, the CLI and the
# benchmarks (configured alike for both, so neither reconfigures the other's build).
WASM_MT=(-DGILLAB_THREADS=ON -DGILLAB_TESTS=ON -DGILLAB_CLI=ON)

for t in "${targets[@]}"; do
  case "$t" in
    native) cmake_native native Release ;;
    native-debug) cmake_native native-debug Debug ;;
    web)
      cmake_wasm wasm lab "${WASM_MT[@]}"
      cmake_wasm wasm-st "" -DGILLAB_THREADS=OFF -DGILLAB_TESTS=OFF -DGILLAB_CLI=OFF
      rm -rf "$ROOT/build/web"; mkdir -p "$ROOT/build/web"
      cp -r "$ROOT"/web/* "$ROOT/build/web/"
      rm -f "$ROOT/build/web/serve.py"
      cp "$ROOT"/build/wasm/lab.{js,wasm,worker.js} "$ROOT"/build/wasm-st/lab-st.{js,wasm} "$ROOT/build/web/"
      [ -f "$ROOT/node_modules/coi-serviceworker/coi-serviceworker.min.js" ] && \
        cp "$ROOT/node_modules/coi-serviceworker/coi-serviceworker.min.js" "$ROOT/build/web/"
      echo "[build] web lab assembled in build/web" ;;
    wasm-tests) cmake_wasm wasm "gillab_tests gillab gillab_bench" "${WASM_MT[@]}" ;;
    *) echo "build.sh: unknown target '$t' (native, native-debug, web, wasm-tests)" >&2; exit 2 ;;
  esac
done
