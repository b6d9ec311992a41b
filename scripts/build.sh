#!/usr/bin/env bash
# build.sh — builds GIL Lab. Targets (any number, default "native web"):
#   native        build/native        Release: gillab (CLI), gillab-window, gillab_tests
#   native-debug  build/native-debug  Debug build of the same
#   web           build/wasm + build/wasm-st, assembled into build/web (the folder to host)
#   wasm-tests    build/wasm-tests    the doctest suite as WebAssembly for Node
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
cmake_wasm() {  # $1 dir, extra args...
  local dir="$1"; shift
  emcmake cmake -S "$ROOT" -B "$ROOT/build/$dir" -DCMAKE_BUILD_TYPE=Release -DIMGUI_DIR="$IMGUI_DIR" "$@" >/dev/null
  cmake --build "$ROOT/build/$dir" -j"$JOBS"
}

for t in "${targets[@]}"; do
  case "$t" in
    native) cmake_native native Release ;;
    native-debug) cmake_native native-debug Debug ;;
    web)
      cmake_wasm wasm -DGILLAB_THREADS=ON -DGILLAB_TESTS=OFF -DGILLAB_CLI=OFF -DGILLAB_WEB_POOL=13
      cmake_wasm wasm-st -DGILLAB_THREADS=OFF -DGILLAB_TESTS=OFF -DGILLAB_CLI=OFF
      rm -rf "$ROOT/build/web"; mkdir -p "$ROOT/build/web"
      cp -r "$ROOT"/web/* "$ROOT/build/web/"
      rm -f "$ROOT/build/web/serve.py"
      cp "$ROOT"/build/wasm/lab.{js,wasm,worker.js} "$ROOT"/build/wasm-st/lab-st.{js,wasm} "$ROOT/build/web/"
      [ -f "$ROOT/node_modules/coi-serviceworker/coi-serviceworker.min.js" ] && \
        cp "$ROOT/node_modules/coi-serviceworker/coi-serviceworker.min.js" "$ROOT/build/web/"
      echo "[build] web lab assembled in build/web" ;;
    wasm-tests) cmake_wasm wasm-tests -DGILLAB_UI=OFF -DGILLAB_TESTS=ON -DGILLAB_CLI=ON -DGILLAB_WEB_POOL=71 ;;
    *) echo "build.sh: unknown target '$t' (native, native-debug, web, wasm-tests)" >&2; exit 2 ;;
  esac
done
