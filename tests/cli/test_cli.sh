#!/usr/bin/env bash
# test_cli.sh — the CLI as a user meets it: good runs, JSON shape, and bad input that
# must print one error line plus usage and exit with status 2.
#   tests/cli/test_cli.sh path/to/gillab
set -uo pipefail
BIN="${1:?usage: test_cli.sh path/to/gillab}"
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

expect_status() {  # expected-status description -- command...
  local want="$1" what="$2"; shift 3
  local out; out="$("$@" 2>&1)"; local got=$?
  if [ "$got" = "$want" ]; then ok "$what (exit $got)"; else bad "$what: exit $got, wanted $want; output: $out"; fi
}
expect_usage_error() {  # description -- command...
  local what="$1"; shift 2
  local err; err="$("$@" 2>&1 >/dev/null)"; local got=$?
  local first; first="$(printf '%s\n' "$err" | head -1)"
  if [ "$got" = 2 ] && [[ "$first" == gillab:* ]] && printf '%s' "$err" | grep -q '^usage: gillab'; then
    ok "$what -> $first"
  else
    bad "$what: exit $got, stderr: $err"
  fi
}

expect_status 0 "help" -- "$BIN" help
expect_status 0 "list" -- "$BIN" list
expect_status 0 "describe real.race" -- "$BIN" describe real.race
expect_usage_error "no command" -- "$BIN"
expect_usage_error "unknown command" -- "$BIN" frobnicate
expect_usage_error "unknown experiment" -- "$BIN" run no.such
expect_usage_error "unknown parameter" -- "$BIN" run real.race --set nosuch=1
expect_usage_error "negative threads" -- "$BIN" run real.race --set threads=-1
expect_usage_error "text for a number" -- "$BIN" run real.race --set threads=four
expect_usage_error "huge value" -- "$BIN" run real.race --set increments=1e30
expect_usage_error "bad choice" -- "$BIN" run real.race --set mode=fast
expect_usage_error "unknown option" -- "$BIN" run real.race --frob
expect_usage_error "seed not a number" -- "$BIN" run real.race --seed x
expect_usage_error "--set without value" -- "$BIN" run real.race --set
expect_usage_error "a parameter given twice" -- "$BIN" run real.race threads=2 --set threads=3

json="$("$BIN" run real.race --set threads=2 --set increments=10000 --set mode=atomic --json)"
if printf '%s' "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["experiment"] == "real.race" and d["engine"] == "real", d
assert set(d["params"]) == {"threads", "increments", "mode", "runs"}, d["params"]
assert d["metrics"]["final"] == 20000 and d["metrics"]["lost"] == 0, d["metrics"]
'; then ok "run --json has experiment, engine, params, seed, metrics"; else bad "run --json: $json"; fi

csv="$("$BIN" run real.race --set increments=1000 --csv)"
if printf '%s' "$csv" | head -1 | grep -q '^experiment,engine,seed,metric,value,unit$'; then ok "run --csv header"; else bad "csv: $csv"; fi

# A run the simulator cannot do is refused at once, with the estimate and what to lower.
start=$(date +%s%N)
err="$("$BIN" run race.counter threads=16 increments=1000000000 interval_us=1 2>&1 >/dev/null)"; rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$rc" = 1 ] && [ "$ms" -lt 2000 ] && printf '%s' "$err" | grep -q "million simulation steps.*lower 'Increments per thread' to about"; then
  ok "too much simulator work is refused at once (${ms} ms): $err"
else bad "refusal before the work: rc=$rc ${ms} ms: $err"; fi

# describe --program: the lab's Python front end, disassembled as CPython's dis shows it.
PROG="$(dirname "$0")/../py/corpus/augassign.py"
tmpdir="$(mktemp -d)"; trap 'rm -rf "$tmpdir"' EXIT
expect_usage_error "describe --program without file" -- "$BIN" describe --program
expect_usage_error "describe --program bad version" -- "$BIN" describe --program "$PROG" --set version=2.7
expect_usage_error "describe --program unknown key" -- "$BIN" describe --program "$PROG" --set threads=2
expect_usage_error "describe --program unknown option" -- "$BIN" describe --program "$PROG" --frob
err="$("$BIN" describe --program "$tmpdir/nosuch.py" 2>&1 >/dev/null)"; got=$?
if [ "$got" = 2 ] && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && [[ "$err" == gillab:*nosuch.py* ]]; then
  ok "describe --program missing file -> $err"
else bad "describe --program missing file: exit $got, stderr: $err"; fi
printf 'def gen(n):\n    for i in range(n):\n        yield i\n' > "$tmpdir/gen.py"
err="$("$BIN" describe --program "$tmpdir/gen.py" 2>&1 >/dev/null)"; got=$?
if [ "$got" = 1 ] && [[ "$err" =~ gen\.py:3:[0-9]+:\ .*yield.*not\ supported ]]; then
  ok "describe --program yield -> $err"
else bad "describe --program yield: exit $got, stderr: $err"; fi
out312="$("$BIN" describe --program "$PROG" --set version=3.12)"; got=$?
if [ "$got" = 0 ] && printf '%s' "$out312" | grep -q 'BINARY_OP' && ! printf '%s' "$out312" | grep -q 'INPLACE_ADD'; then
  ok "describe --program 3.12 shows BINARY_OP"; else bad "describe --program 3.12: exit $got: $out312"; fi
out39="$("$BIN" describe --program "$PROG" --set version=3.9)"; got=$?
if [ "$got" = 0 ] && printf '%s' "$out39" | grep -q 'INPLACE_ADD' && ! printf '%s' "$out39" | grep -q 'BINARY_OP'; then
  ok "describe --program 3.9 shows INPLACE_ADD"; else bad "describe --program 3.9: exit $got: $out39"; fi
out314="$("$BIN" describe --program "$PROG" version=3.14)"
if printf '%s' "$out314" | grep -q "3.13's bytecode"; then ok "describe --program 3.14 says it shows 3.13's bytecode"
else bad "describe --program 3.14: $out314"; fi
json="$("$BIN" describe --program "$PROG" --set version=3.13t --json)"
if printf '%s' "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["requested_version"] == "3.13t" and d["version"] == "3.13", d.get("version")
assert d["codes"][0]["name"] == "<module>", d["codes"][0]["name"]
ops = [i["opname"] for c in d["codes"] for i in c["instructions"]]
assert "BINARY_OP" in ops and all("argrepr" in i for c in d["codes"] for i in c["instructions"]), ops
'; then ok "describe --program --json: version, codes, instructions"; else bad "describe --program --json: $json"; fi

# run --program: the program run by the lab's VM, for the version's bytecode and check points.
cat > "$tmpdir/race.py" <<'PY'
import threading
counter = 0
def work(n):
    global counter
    for _ in range(n):
        counter += 1
threads = [threading.Thread(target=work, args=(100000,)) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counter)
PY
out="$("$BIN" run --program "$tmpdir/race.py" --set version=3.12)"; got=$?
if [ "$got" = 0 ] && [ "$(printf '%s\n' "$out" | head -1)" = 400000 ] && printf '%s' "$out" | grep -q "GIL hand-offs"; then
  ok "run --program 3.12: 400000 (no update lost with the GIL on 3.10+)"; else bad "run --program 3.12: exit $got: $out"; fi
out="$("$BIN" run --program "$tmpdir/race.py" --set version=3.9)"; got=$?
first="$(printf '%s\n' "$out" | head -1)"
if [ "$got" = 0 ] && [ "$first" -lt 400000 ] 2>/dev/null; then ok "run --program 3.9: $first (updates lost: a switch lands inside counter += 1)"
else bad "run --program 3.9: exit $got: $out"; fi
json="$("$BIN" run --program "$tmpdir/race.py" --set version=3.13 --json)"
if printf '%s' "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["output"] == "400000\n" and d["completed"] and d["metrics"]["threads_started"] == 4, d
'; then ok "run --program --json: output, completed, metrics"; else bad "run --program --json: $json"; fi
# The same program in the simulator: its module code starts the threads; nothing is lost on
# 3.12, and the race detector still names counter (and not once the increment is locked).
json="$("$BIN" run --program "$tmpdir/race.py" --set version=3.12 --json)"
if printf '%s' "$json" | python3 -c '
import json, sys
s = json.load(sys.stdin)["simulated"]
assert s["ok"] and s["threads"] == 5 and s["globals"]["counter"] == 400000, s
assert [r["variable"] for r in s["races"]] == ["counter"] and s["races"][0]["lines"] == [6, 6], s
'; then ok "run --program --json: simulated, counter unguarded although nothing was lost"; else bad "run --program simulated: $json"; fi
sed -e 's/^    for _ in range(n):$/    for _ in range(n):\n      with lock:/' -e 's/^        counter += 1$/            counter += 1/' \
    -e 's/^counter = 0$/counter = 0\nlock = threading.Lock()/' "$tmpdir/race.py" > "$tmpdir/race_locked.py"
json="$("$BIN" run --program "$tmpdir/race_locked.py" --set version=3.9 --json)"
if printf '%s' "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["output"] == "400000\n" and d["simulated"]["races"] == [] and d["simulated"]["globals"]["counter"] == 400000, d
'; then ok "run --program: with lock, no unguarded variable on 3.9"; else bad "run --program locked: $json"; fi
printf 'import threading\na = threading.Lock()\nb = threading.Lock()\ndef f():\n    with a:\n        with b:\n            pass\na.acquire()\nt = threading.Thread(target=f)\nt.start()\nt.join()\n' > "$tmpdir/dead.py"
err="$("$BIN" run --program "$tmpdir/dead.py" 2>&1 >/dev/null)"; got=$?
if [ "$got" = 1 ] && printf '%s' "$err" | grep -q deadlock; then ok "run --program deadlock -> $err"; else bad "run --program deadlock: exit $got: $err"; fi
expect_usage_error "run --program without file" -- "$BIN" run --program
expect_usage_error "run --program bad interval" -- "$BIN" run --program "$tmpdir/race.py" --set interval_us=0
err="$("$BIN" run --program "$tmpdir/gen.py" 2>&1 >/dev/null)"; got=$?
if [ "$got" = 1 ] && [[ "$err" == *gen.py:3:9:* ]]; then ok "run --program yield -> $err"; else bad "run --program yield: exit $got: $err"; fi
# `run program --code FILE`: any program through the full run contract (metrics, JSON, a Perfetto
# trace with the source line on each slice, hand-offs as flows, GIL holder and runnable counters).
json="$("$BIN" run program --code "$tmpdir/race.py" --set version=3.9 --json --trace "$tmpdir/t.json")"
if printf '%s' "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
m = d["metrics"]
assert d["experiment"] == "program" and d["params"]["version"] == "3.9", d
assert m["races"] >= 1 and "global.counter" in m and m["output"].strip() == str(m["global.counter"]), m
t = json.load(open(sys.argv[1]))["traceEvents"]
assert any(e.get("ph") == "X" and "line" in e.get("args", {}) and "instruction" in e["args"] for e in t)
assert any(e.get("ph") == "C" and e["name"] == "GIL holder (tid)" for e in t)
assert any(e.get("ph") == "C" and e["name"] == "runnable threads" for e in t)
assert any(e.get("ph") == "s" for e in t) and any(e.get("ph") == "f" for e in t)
' "$tmpdir/t.json"; then ok "run program --code: metrics, output on the run's schedule, trace with lines and counters"; else bad "run program --code: $json"; fi
expect_usage_error "--code on an experiment that takes none" -- "$BIN" run gil.cpu --code "$tmpdir/race.py"
expect_usage_error "--code without a file" -- "$BIN" run program --code
err="$("$BIN" run program --code "$tmpdir/gen.py" 2>&1)"; got=$?
if [ "$got" != 0 ] && printf '%s' "$err" | grep -q "does not compile: line 3, column 9"; then ok "run program --code yield -> refused with line and column"; else bad "run program --code yield: exit $got: $err"; fi
printf 'import threading\ndef f():\n    pass\nts = [threading.Thread(target=f) for _ in range(5000)]\nfor t in ts:\n    t.start()\nfor t in ts:\n    t.join()\n' > "$tmpdir/many.py"
err="$("$BIN" run program --code "$tmpdir/many.py" 2>&1)"; got=$?
if [ "$got" != 0 ] && printf '%s' "$err" | grep -q "RuntimeError: can't start new thread (the lab's simulator runs at most"; then ok "run program --code with 5000 threads -> CPython's RuntimeError, no crash"; else bad "run program --code 5000 threads: exit $got: $err"; fi

# `explore`: every schedule the version allows, outcomes with counts and witnesses.
json="$("$BIN" explore race.counter --set version=3.9 --set increments=2 --query final==2 --json)"
if printf '%s' "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
finals = sorted(o["globals"]["counter"] for o in d["outcomes"])
assert d["complete"] and finals == [2, 3, 4], d
assert all(o["schedules"] > 0 and o["witness"] for o in d["outcomes"])
assert d["query"]["can"] and not d["query"]["always"] and d["query"]["witness"]
'; then ok "explore race.counter 3.9: finals {2, 3, 4}, a witness for final==2"; else bad "explore 3.9: $json"; fi
out="$("$BIN" explore race.counter --set version=3.12 --set increments=2 --query final==4)"
if grep -q "1 outcome, complete search" <<<"$out" && grep -q "is it always final==4? yes, on every schedule" <<<"$out"; then
  ok "explore race.counter 3.12: always 4"; else bad "explore 3.12: $out"; fi
out="$("$BIN" explore deadlock.order)"
if grep -q "deadlock (MainThread waits to join" <<<"$out"; then ok "explore deadlock.order: the deadlock and who waits"; else bad "explore deadlock.order: $out"; fi
expect_usage_error "explore without a program" -- "$BIN" explore
expect_usage_error "explore a real-thread experiment" -- "$BIN" explore real.race
expect_usage_error "explore with a bad query" -- "$BIN" explore race.counter --query "counter=4"
# A construct the simulator does not model, inside a thread's function: refused with its line,
# as `run --program` refuses it (it used to say a thread "ran off the end of work()").
printf 'import threading\ndef work():\n    sq = [i for i in range(3)]\nt = threading.Thread(target=work)\nt.start()\nt.join()\n' > "$tmpdir/comp.py"
out="$("$BIN" explore --program "$tmpdir/comp.py" --set version=3.12 2>&1)"; got=$?
if [ "$got" = 1 ] && grep -q "cannot explore this program: line 3, in work(): a list comprehension inside a thread's function is not modelled" <<<"$out"; then
  ok "explore --program with a comprehension in a thread -> refused with its line"; else bad "explore comprehension: exit $got: $out"; fi
out="$("$BIN" explore --program "$tmpdir/race.py" --set version=3.13t --max-states 50 2>&1)"
if grep -q "bounded search (stopped at 50 distinct states), then" <<<"$out"; then ok "explore --program with a bound says it sampled"; else bad "explore bound: $out"; fi

# `calibrate`: runs its embedded script and tests/fidelity/'s programs in a real CPython, writes a
# profile that `run --profile` loads. A WebAssembly CLI refuses it with a sentence.
expect_usage_error "calibrate with an unknown option" -- "$BIN" calibrate --frob
expect_usage_error "calibrate --iterations abc" -- "$BIN" calibrate --iterations abc
expect_usage_error "calibrate --iterations 5 (under 10000)" -- "$BIN" calibrate --iterations 5
py="$(command -v python3 || true)"
err="$("$BIN" calibrate --python "$tmpdir/no-such-python" --out "$tmpdir/x.txt" 2>&1)"; got=$?
if printf '%s' "$err" | grep -q "calibrate needs a native build"; then
  ok "calibrate: this CLI is not native and says so (skipped the runs)"
elif [ -z "$py" ]; then
  ok "calibrate: skipped, no python3 on PATH"
else
  if [ "$got" = 1 ] && printf '%s' "$err" | grep -q "^gillab: .*no-such-python"; then ok "calibrate with a missing python -> one error line, exit 1"; else bad "calibrate missing python: exit $got: $err"; fi
  err="$("$BIN" calibrate --python "$py" --iterations 20000 --out "$tmpdir/cal.txt" 2>&1)"; got=$?
  if [ "$got" = 0 ] && grep -q "^gil_handoff_ns = " "$tmpdir/cal.txt" && grep -q "^pool_wakeup_ns = " "$tmpdir/cal.txt" \
     && grep -q "^thread_first_extra_ns = " "$tmpdir/cal.txt" \
     && [ "$(grep -c "^sleep_overshoot_ns\.[0-9]* = [0-9]" "$tmpdir/cal.txt")" = 10 ] \
     && printf '%s' "$err" | grep -q "pool_submit" && printf '%s' "$err" | grep -q "sleep_overshoot.500 "; then
    ok "calibrate $py: a profile with the hand-off, thread start, sleep overshoot and pool costs from tests/fidelity's programs"
  else bad "calibrate $py: exit $got: $err"; fi
  if "$BIN" run gil.cpu --profile "$tmpdir/cal.txt" --set iterations=1000 --no-trace >/dev/null 2>&1; then ok "run --profile loads calibrate's file"; else bad "run --profile $tmpdir/cal.txt failed"; fi
  # a length the table does not have is refused, with the file and the key
  sed 's/^sleep_overshoot_ns\.1000000 = /sleep_overshoot_ns.1234 = /' "$tmpdir/cal.txt" > "$tmpdir/bad.txt"
  err="$("$BIN" run gil.cpu --profile "$tmpdir/bad.txt" --set iterations=1000 --no-trace 2>&1)"; got=$?
  if [ "$got" != 0 ] && printf '%s' "$err" | grep -q "unknown key 'sleep_overshoot_ns.1234'"; then ok "run --profile with a sleep length the table lacks -> refused"; else bad "bad profile: exit $got: $err"; fi
  sed 's/^gil_handoff_ns = .*/gil_handoff_ns = nan/' "$tmpdir/cal.txt" > "$tmpdir/nan.txt"
  err="$("$BIN" run gil.cpu --profile "$tmpdir/nan.txt" --set iterations=1000 --no-trace 2>&1)"; got=$?
  if [ "$got" != 0 ] && printf '%s' "$err" | grep -q "bad value for gil_handoff_ns: 'nan'"; then ok "run --profile with gil_handoff_ns = nan -> refused"; else bad "nan profile: exit $got: $err"; fi
fi

[ "$fails" = 0 ] && echo "all CLI tests passed" || { echo "$fails CLI test(s) failed"; exit 1; }
