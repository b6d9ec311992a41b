#!/usr/bin/env bash
# fuzz.sh — builds the libFuzzer targets (clang-14, ASan+UBSan) and fuzzes each for SECONDS
# (default 30, so 60 s for both), starting from the seed corpora in tests/fuzz/corpus:
#   params  gillab_fuzz_params  the parameter parser (CLI --set, URL, JS API), a link's packed
#                               program and the --profile file, -max_len=512
#   python  gillab_fuzz_python  the Python front end: tokenize, parse, compile for 3.9-3.13,
#                               -max_len=4096 (seeds: tests/py/corpus, tests/py/errors and
#                               src/engine/experiments/programs, copied)
#   scripts/fuzz.sh [SECONDS] [--update-corpus] [params] [python]   (no target named: both)
# New inputs go to build/fuzz/corpus/<target>; --update-corpus merges the interesting ones
# back into tests/fuzz/corpus/<target>. Any ERROR (crash, hang over 10 s per input, leak,
# sanitizer report) fails the run; the log is build/fuzz/last-run-<target>.log and the
# crashing input build/fuzz/crash-* (or timeout-*, leak-*).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
secs=30; update=""; targets=()
for a in "$@"; do
  case "$a" in
    --update-corpus) update=1 ;;
    params|python) targets+=("$a") ;;
    ''|*[!0-9]*) echo "fuzz.sh: unknown argument '$a' (SECONDS, --update-corpus, params, python)" >&2; exit 2 ;;
    *) secs="$a" ;;
  esac
done
[ ${#targets[@]} -eq 0 ] && targets=(params python)
source scripts/env.sh
configure_asan "$ROOT"   # build/asan, shared with scripts/sanitize.sh asan
build_targets=(); for t in "${targets[@]}"; do build_targets+=(--target "gillab_fuzz_$t"); done
cmake --build build/asan -j"$(nproc)" "${build_targets[@]}" 2>&1 | grep -E "error|warning" || true
failed=0
for t in "${targets[@]}"; do
  case "$t" in
    params) what="the parameter parser"; max_len=512 ;;
    python) what="the Python front end"; max_len=4096 ;;
  esac
  corpus="build/fuzz/corpus/$t"; log="build/fuzz/last-run-$t.log"
  mkdir -p "$corpus"
  cp -n tests/fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
  # The Python target is also seeded from the programs themselves (corpus, error programs,
  # experiments' programs), so the repository keeps no copies of them.
  if [ "$t" = python ]; then
    for f in tests/py/corpus/*.py tests/py/errors/*.py src/engine/experiments/programs/*.py; do
      cp -n "$f" "$corpus/seed_$(basename "$(dirname "$f")")_$(basename "$f")" 2>/dev/null || true
    done
  fi
  echo "[fuzz] fuzzing $what for ${secs}s" >&2
  "build/asan/gillab_fuzz_$t" "$corpus" -max_total_time="$secs" -max_len="$max_len" -timeout=10 \
    -artifact_prefix=build/fuzz/ -print_final_stats=1 \
    2>&1 | tee "$log" | grep -E "^#[0-9]+[[:space:]]+(DONE|INITED)|stat::number_of_executed_units|ERROR|SUMMARY|Test unit written" || true
  if grep -q "ERROR: " "$log"; then echo "[fuzz] $what: a finding: see $log" >&2; failed=1; continue; fi
  if [ -n "$update" ]; then
    rm -rf "build/fuzz/min-$t"; mkdir -p "build/fuzz/min-$t"
    "build/asan/gillab_fuzz_$t" -merge=1 -max_len="$max_len" "build/fuzz/min-$t" "$corpus" >/dev/null 2>&1
    rm -f tests/fuzz/corpus/"$t"/*; cp "build/fuzz/min-$t"/* tests/fuzz/corpus/"$t"/
    echo "[fuzz] $t corpus updated: $(ls tests/fuzz/corpus/"$t" | wc -l) inputs" >&2
  fi
done
[ "$failed" = 0 ] || exit 1
echo "[fuzz] no crash" >&2
