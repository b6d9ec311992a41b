#!/usr/bin/env bash
# sanitize.sh — builds the engine, the CLI and the tests with sanitizers and runs them.
#   scripts/sanitize.sh [asan] [tsan]     (default: both)
#   asan: AddressSanitizer + UndefinedBehaviorSanitizer (clang-14), every unit test and the CLI
#         tests, in build/asan, which scripts/fuzz.sh's fuzz targets share (scripts/env.sh)
#   tsan: ThreadSanitizer (clang-14), every test that starts threads (real experiments, jobs, cancel)
# Any report fails the run (halt_on_error). Builds go to build/asan and build/tsan.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
JOBS="${JOBS:-$(nproc)}"
which=("$@"); [ ${#which[@]} -eq 0 ] && which=(asan tsan)
for w in "${which[@]}"; do
  case "$w" in
    asan) flags="address,undefined" ;;
    tsan) flags="thread" ;;
    *) echo "sanitize.sh: unknown '$w' (asan, tsan)" >&2; exit 2 ;;
  esac
  echo "[sanitize] $w: building" >&2
  if [ "$w" = asan ]; then configure_asan "$ROOT"; else
    cmake -S . -B "build/$w" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-14 \
      -DCMAKE_CXX_COMPILER=clang++-14 -DGILLAB_UI=OFF -DGILLAB_SANITIZE="$flags" >/dev/null; fi
  # TSan runs only the tests that start threads: it builds only those (gillab_threads_tests).
  tests=gillab_tests; [ "$w" = tsan ] && tests=gillab_threads_tests
  cmake --build "build/$w" -j"$JOBS" --target gillab "$tests" 2>&1 | grep -E "error|warning" || true
  export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1"
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"
  if [ "$w" = asan ]; then
    echo "[sanitize] asan+ubsan: unit tests" >&2
    "build/$w/gillab_tests"
    echo "[sanitize] asan+ubsan: CLI tests" >&2
    tests/cli/test_cli.sh "build/$w/gillab"
  else
    echo "[sanitize] tsan: tests that start threads" >&2
    "build/$w/gillab_threads_tests"
    "build/$w/gillab" run real.race --set mode=racy --set increments=200000 --quiet
    "build/$w/gillab" run real.race --set mode=both --set threads=4 --set increments=100000 --quiet
    "build/$w/gillab" run real.gil --set work_ms=50 --set requests=10 --quiet
  fi
  echo "[sanitize] $w: clean" >&2
done
