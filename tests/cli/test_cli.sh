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

[ "$fails" = 0 ] && echo "all CLI tests passed" || { echo "$fails CLI test(s) failed"; exit 1; }
