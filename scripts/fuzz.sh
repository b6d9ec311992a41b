#!/usr/bin/env bash
# fuzz.sh — builds the libFuzzer target (clang-14, ASan+UBSan) and fuzzes the parameter
# parser for SECONDS (default 60), starting from the corpus in tests/fuzz/corpus.
#   scripts/fuzz.sh [SECONDS] [--update-corpus]
# New inputs go to build/fuzz/corpus; --update-corpus merges the interesting ones back.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
secs="${1:-60}"; update="${2:-}"
cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DGILLAB_UI=OFF -DGILLAB_TESTS=OFF -DGILLAB_CLI=OFF -DGILLAB_FUZZ=ON -DGILLAB_SANITIZE=address,undefined >/dev/null
cmake --build build/fuzz -j"$(nproc)" --target gillab_fuzz_params 2>&1 | grep -E "error|warning" || true
mkdir -p build/fuzz/corpus
cp -n tests/fuzz/corpus/params/* build/fuzz/corpus/ 2>/dev/null || true
echo "[fuzz] fuzzing the parameter parser for ${secs}s" >&2
build/fuzz/gillab_fuzz_params build/fuzz/corpus -max_total_time="$secs" -max_len=512 -print_final_stats=1 \
  2>&1 | tee build/fuzz/last-run.log | grep -E "^#[0-9]+ *(DONE|INITED)|stat::|ERROR|SUMMARY" || true
if grep -q "ERROR: " build/fuzz/last-run.log; then echo "[fuzz] a crash was found: see build/fuzz/last-run.log" >&2; exit 1; fi
if [ "$update" = "--update-corpus" ]; then
  mkdir -p build/fuzz/min
  build/fuzz/gillab_fuzz_params -merge=1 build/fuzz/min build/fuzz/corpus >/dev/null 2>&1
  rm -f tests/fuzz/corpus/params/*; cp build/fuzz/min/* tests/fuzz/corpus/params/
  echo "[fuzz] corpus updated: $(ls tests/fuzz/corpus/params | wc -l) inputs" >&2
fi
echo "[fuzz] no crash" >&2
