#!/usr/bin/env bash
# screenshots.sh — the pictures in docs/screenshots: the page in headless Chromium and the
# native window under Xvfb, for the race, the CPU-bound GIL and lock contention, each
# taken once its run is over.   scripts/screenshots.sh [outdir]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
out="${1:-docs/screenshots}"; mkdir -p "$out"
shots=(
  "race-3.9|exp=race.counter&version=3.9&autorun=1"
  "race-3.12|exp=race.counter&version=3.12&autorun=1"
  "gil-cpu|exp=gil.cpu&iterations=10000000&autorun=1"
  "gil-convoy|exp=gil.convoy&requests=40&autorun=1"
  "lock-contention|exp=real.contention&autorun=1"
  "mp-process|exp=mp.process&workers=4&iterations=10000000&autorun=1"
)
for s in "${shots[@]}"; do
  name="${s%%|*}"; q="${s#*|}"
  node tests/browser/screenshot.mjs "$q" "$out/page-$name.png" 1280 720
  disp=":$((90 + RANDOM % 100))"
  Xvfb "$disp" -screen 0 1280x720x24 >/dev/null 2>&1 & xpid=$!
  sleep 1
  DISPLAY="$disp" timeout 120 build/native/gillab-window "--query=$q" --screenshot "$out/native-$name.png" || true
  kill $xpid 2>/dev/null || true
  # The window grab is stored uncompressed (3.6 MB); keep the repository's copy small.
  [ -f "$out/native-$name.png" ] && convert "$out/native-$name.png" -strip -define png:compression-level=9 "$out/native-$name.png" || true
done
node tests/browser/screenshot.mjs "exp=race.counter&version=3.9&autorun=1" "$out/page-race-800x500.png" 800 500
# The Program tab: the experiment's Python file and its 3.12 bytecode, playback paused at 30 ms.
node tests/browser/screenshot.mjs "exp=race.counter&version=3.12&autorun=1" "$out/page-race-3.12-program.png" 1280 720 "tab Program" "seek 30000000"
# Phone width (390x844) and the experiments issue 11 names: the race on 3.9, the interval sweep,
# lock contention; the embedded course page comes from tests/browser/screenshot-embed.mjs.
node tests/browser/screenshot.mjs "exp=race.counter&version=3.9&autorun=1" "$out/page-race-3.9-390x844.png" 390 844
node tests/browser/screenshot.mjs "exp=gil.interval&autorun=1" "$out/page-gil-interval.png" 1280 720
node tests/browser/screenshot.mjs "exp=gil.interval&autorun=1" "$out/page-gil-interval-390x844.png" 390 844
node tests/browser/screenshot.mjs "exp=real.contention&autorun=1" "$out/page-lock-contention-390x844.png" 390 844
# Your own code: the editor with a compile error; a paused run with each thread's line marked;
# a wait-blame tooltip (who holds the GIL a thread waits for, and what it is doing).
# A class of one's own: self.count += 1 from two threads, the race detector naming c.count.
cls="$(printf 'import threading\n\nclass Counter:\n    def __init__(self):\n        self.count = 0\n\n    def add(self, n):\n        for _ in range(n):\n            self.count += 1\n\nc = Counter()\nthreads = [threading.Thread(target=c.add, args=(100000,)) for _ in range(2)]\nfor t in threads:\n    t.start()\nfor t in threads:\n    t.join()\nprint("final", c.count)')"
node tests/browser/screenshot.mjs "exp=program&version=3.9&autorun=1" "$out/page-class-3.9.png" 1280 720 "$(printf 'code\n%s\n' "$cls")" run wait-run
bad="$(sed 's/^def work():/def work(:/' src/engine/experiments/programs/program.py)"
node tests/browser/screenshot.mjs "exp=program&version=3.9&autorun=1" "$out/page-editor-error.png" 1280 720 "$(printf 'code\n%s\n' "$bad")"
node tests/browser/screenshot.mjs "exp=program&version=3.9&interval_us=200&autorun=1" "$out/page-editor-paused.png" 1280 720 "seek 30000000"
node tests/browser/screenshot.mjs "exp=race.counter&version=3.12&interval_us=500&increments=200000&autorun=1" "$out/page-wait-blame.png" 1280 720 "hover 271 the GIL is held by"
# Every schedule: the Explore tab on 3.9 (2 threads x 2 increments: finals 2, 3 and 4).
node tests/browser/screenshot.mjs "exp=race.counter&version=3.9&increments=2&autorun=1" "$out/page-explore-3.9.png" 1280 720 "tab Explore" "explore" "wait-explore"
# Be the scheduler: the 3.9 puzzle played to its goal by Show me, wide and on a phone.
node tests/browser/screenshot.mjs "exp=race.counter&version=3.9&increments=2&autorun=1" "$out/page-puzzle-3.9.png" 1280 720 "puzzle counter-3.9" "schedule show" "wait-scheduler reached"
node tests/browser/screenshot.mjs "exp=race.counter&version=3.9&increments=2&autorun=1" "$out/page-puzzle-3.9-390x844.png" 390 844 "puzzle counter-3.9" "schedule show" "wait-scheduler reached"
node tests/browser/screenshot-embed.mjs "$out/embed-course-1280x720.png" 1280 720
node tests/browser/screenshot-embed.mjs "$out/embed-course-390x844.png" 390 844
echo "screenshots in $out"
