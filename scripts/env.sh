# env.sh — sourced by the other scripts: where the dependency cache and build folders are.
# Not meant to be run on its own.
: "${GILLAB_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/gillab}"
export GILLAB_CACHE
export IMGUI_DIR="$GILLAB_CACHE/src/imgui-src"
export SDL2_SRC_DIR="$GILLAB_CACHE/src/sdl2-src"
export SDL2_WASM_MT="$GILLAB_CACHE/sdl2-wasm-mt"   # built with -pthread
export SDL2_WASM_ST="$GILLAB_CACHE/sdl2-wasm-st"   # built without threads (non-isolated pages)
# Debian's emscripten resolves acorn from Debian's node modules (docs/toolchain.md, trap 1).
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"

# build/asan: clang-14 with AddressSanitizer + UndefinedBehaviorSanitizer, the engine also
# with libFuzzer's coverage. One build for scripts/sanitize.sh asan (the unit tests, the CLI)
# and scripts/fuzz.sh (the fuzz targets): both configure it with exactly these options, so
# neither rebuilds what the other built.
configure_asan() {  # $1 = the source tree
  cmake -S "$1" -B "$1/build/asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DGILLAB_UI=OFF -DGILLAB_TESTS=ON \
    -DGILLAB_CLI=ON -DGILLAB_FUZZ=ON -DGILLAB_SANITIZE=address,undefined >/dev/null
}
