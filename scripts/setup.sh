#!/usr/bin/env bash
# setup.sh — installs whatever GIL Lab still needs, and nothing that is already there.
#
# Sources of every dependency (see docs/toolchain.md for why each one):
#   Debian packages  emscripten, libsdl2-dev, doctest-dev, chromium, xvfb, ...
#   Debian sources   imgui 1.86 and libsdl2 2.26.5 (`apt-get source`), unpacked into the cache
#   npm              playwright-core and coi-serviceworker (package.json)
# Builds of dependencies (SDL2 for WebAssembly, with and without threads) land in the
# cache folder and are reused when present. The cache is $GILLAB_CACHE, by default
# ~/.cache/gillab: outside the repository, so a fresh clone on the same machine reuses it.
#
# Idempotent: a second run only checks and prints "ok" lines.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"

log() { printf '[setup] %s\n' "$*" >&2; }

need_root() {
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null; then echo sudo; else
      log "error: installing Debian packages needs root (or sudo)"; exit 1; fi
  fi
}

# --- Debian packages ---------------------------------------------------------------
APT_PACKAGES=(
  cmake g++ make clang-14 libclang-rt-14-dev   # compilers, sanitizers, libFuzzer
  emscripten                                    # WebAssembly toolchain (3.1.6)
  libsdl2-dev libgl-dev                         # native window
  doctest-dev                                   # unit tests
  dpkg-dev xz-utils                             # apt-get source + unpacking
  chromium                                      # browser tests
  xvfb libgl1-mesa-dri imagemagick              # native window screenshots
  fonts-dejavu-core python3-fonttools           # the UI fonts, subset and embedded at build time
  nodejs npm
)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
# The image ships Node.js from its own build; never let apt replace it.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]:-}"
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO="$(need_root)"
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "ok: Debian packages"
fi

# --- Debian source packages: Dear ImGui 1.86 and SDL2 2.26.5 -------------------------
mkdir -p "$GILLAB_CACHE/src"
if [ ! -f "$IMGUI_DIR/imgui.cpp" ] || [ ! -f "$SDL2_SRC_DIR/CMakeLists.txt" ]; then
  if ! grep -rqs "deb-src" /etc/apt/sources.list /etc/apt/sources.list.d/ ; then
    SUDO="$(need_root)"
    log "adding deb-src entries (copy of debian.sources with Types: deb-src)"
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
      | $SUDO tee /etc/apt/sources.list.d/debian-src.sources >/dev/null
    $SUDO apt-get update -qq
  fi
  log "fetching imgui and libsdl2 source packages"
  ( cd "$GILLAB_CACHE/src" && apt-get source --download-only -qq imgui libsdl2 >/dev/null )
  ( cd "$GILLAB_CACHE/src" && rm -rf imgui-src sdl2-src \
      && mkdir imgui-src sdl2-src \
      && tar -xf imgui_*.orig.tar.* -C imgui-src --strip-components=1 \
      && tar -xf libsdl2_*.orig.tar.* -C sdl2-src --strip-components=1 )
else
  log "ok: imgui and SDL2 sources"
fi

# --- SDL2 built for WebAssembly, once with pthreads and once without ------------------
build_sdl2_wasm() {  # $1 = prefix, $2 = "ON" for pthreads
  local prefix="$1" threads="$2" bdir="$1-build"
  [ -f "$prefix/lib/libSDL2.a" ] && { log "ok: $(basename "$prefix")"; return; }
  log "building SDL2 for WebAssembly (threads=$threads) into $prefix; a few minutes, once"
  local cflags="-O2"; [ "$threads" = ON ] && cflags="-O2 -pthread"
  rm -rf "$bdir"; mkdir -p "$bdir"
  ( cd "$bdir" && emcmake cmake "$SDL2_SRC_DIR" -DCMAKE_BUILD_TYPE=Release \
      -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF -DSDL_PTHREADS="$threads" \
      -DSDL_THREADS="$threads" -DSDL_AUDIO=OFF -DSDL_HAPTIC=OFF -DSDL_JOYSTICK=OFF \
      -DSDL_SENSOR=OFF -DSDL_POWER=OFF -DSDL_HIDAPI=OFF \
      -DCMAKE_C_FLAGS="$cflags" -DCMAKE_INSTALL_PREFIX="$prefix" >"$bdir.log" 2>&1 \
    && make -j"$(nproc)" install >>"$bdir.log" 2>&1 ) \
    || { log "error: SDL2 wasm build failed, see $bdir.log"; tail -20 "$bdir.log" >&2; exit 1; }
  rm -rf "$bdir"
}
build_sdl2_wasm "$SDL2_WASM_MT" ON
build_sdl2_wasm "$SDL2_WASM_ST" OFF

# --- npm packages (browser tests, coi-serviceworker) ------------------------------------
if [ ! -d "$ROOT/node_modules/playwright-core" ] || [ ! -d "$ROOT/node_modules/coi-serviceworker" ]; then
  log "installing npm packages"
  ( cd "$ROOT" && npm install --no-audit --no-fund --silent >/dev/null )
else
  log "ok: npm packages"
fi
log "done"
