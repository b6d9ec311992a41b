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
