#!/usr/bin/env python3
"""record_python.py — records what real CPython does with the lab's Python programs, as the
reference the lab's front end (src/engine/py/) is tested against.

    python3 scripts/record_python.py [--versions 3.9,3.10,3.11,3.12,3.13] [--jobs N]

Inputs: every .py under tests/py/corpus/ and src/engine/experiments/programs/.
Interpreters: the newest patch release of each of 3.9 ... 3.13 under $(pyenv root)/versions
(free-threaded "t" builds are not used). A version that is not installed is skipped with
"skip 3.X: not installed under pyenv".

Outputs, per version (tests/py/golden/<ver>/ is replaced as a whole for each recorded version):
  <corpus|experiments>/<stem>.dis.json   {"python": "3.12.1", "codes": [...]}
  <corpus|experiments>/<stem>.dis.txt    dis.dis(code) as printed, for humans ("at 0x..." addresses
                                         of nested code objects are replaced by "at 0x..." so that
                                         re-recording gives the same text)
  corpus/<stem>.out                      the program's stdout (corpus programs only)

"codes" lists every code object depth-first pre-order: the module first, then each code object
found in co_consts, recursively, in co_consts order (the order dis.dis prints them). Each is
  {"name": co_name, "qualname": co_qualname (3.11+; co_name on 3.9/3.10), "firstlineno": ...,
   "instructions": [{"opname", "arg", "argrepr", "line", "starts_line", "offset", "jump_target"}]}
from iterating dis.Bytecode(code) (default options: no caches, not adaptive) on
compile(source, "<stem>.py", "exec"). The program is never executed for this.

Why dis.Bytecode and not dis.get_instructions: they yield the same Instruction objects except
for what depends on the exception table, and only Bytecode matches what dis.dis prints.
On 3.11/3.12 get_instructions() does not mark exception handlers as jump targets (dis.dis prints
">>" there); on 3.13 get_instructions() numbers its labels without the exception table's
boundaries, so its "to L3" can name a different label than dis.dis's "to L4". Bytecode(code)
passes the exception table on every version, like dis.dis. (On 3.9/3.10 the two are identical.)
In argrepr, "<code object f at 0x7f...>" is written "<code object f at 0x...>" so that
re-recording gives the same files.

  line         the number dis prints in its first column, for an instruction that starts a line;
               null otherwise. 3.9-3.12: Instruction.starts_line (int or None). 3.13:
               Instruction.starts_line is a bool and the number is Instruction.line_number.
  starts_line  (extra) true when dis prints anything in the first column. On 3.13 an instruction
               can start a range that has no line; dis prints "--" there, and "line" is null with
               starts_line true. On 3.9-3.12 starts_line == (line is not null).
  jump_target  whether dis marks the instruction as a target: ">>" on 3.9-3.12 (jump targets and,
               3.11+, exception handlers), a label "Ln:" before it on 3.13 (jump targets and
               every start, end and handler of an exception-table range). 3.9-3.12: Instruction.is_jump_target. 3.13: the
               Instruction has `label` (the label number, or None) and `is_jump_target` (a property,
               `label is not None`); we use `label is not None`. 3.13's Instruction.jump_target is
               something else (the offset a jump instruction goes to) and is not used.
  argrepr      exactly Instruction.argrepr ("to 24" on 3.9-3.12 jumps, "to L1" on 3.13,
               "NULL + range" on 3.11/3.12, "range + NULL" on 3.13, ...).

Corpus programs declare their kind on the first line:
  # corpus: output         stdout must be the same on every version; recorded for 3.9-3.13
  # corpus: output 3.10+   exact only with 3.10+'s GIL (threads); not run on 3.9
Each is run 3 times with the interpreter (cwd = a fresh temporary directory, timeout 30 s); the
three outputs must be equal and the exit status 0, else the script fails. tests/py/errors/ holds
programs outside the subset; nothing is recorded for them.

The per-version work runs inside each interpreter via a small helper (a temporary file), so this
script itself runs under any python3 >= 3.6. It exits non-zero on any failure.
"""
import argparse, concurrent.futures, json, os, re, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "tests", "py", "corpus")
EXPERIMENTS = os.path.join(ROOT, "src", "engine", "experiments", "programs")
GOLDEN = os.path.join(ROOT, "tests", "py", "golden")
WANTED = ["3.9", "3.10", "3.11", "3.12", "3.13"]
RUNS = 3
TIMEOUT = 30

# Runs inside the recorded interpreter: argv = out_dir, then pairs of (kind, path).
HELPER = r'''
import dis, io, json, os, re, sys
VER = sys.version_info[:2]
ADDR = re.compile(r" at 0x[0-9a-fA-F]+")

def instructions(co):
    out = []
    for i in dis.Bytecode(co):
        if VER >= (3, 13):
            starts = bool(i.starts_line)
            line = i.line_number if starts else None
            target = i.label is not None
        else:
            starts = i.starts_line is not None
            line = i.starts_line
            target = bool(i.is_jump_target)
        out.append({"opname": i.opname, "arg": i.arg, "argrepr": ADDR.sub(" at 0x...", i.argrepr), "line": line,
                    "starts_line": starts, "offset": i.offset, "jump_target": target})
    return out

def walk(co, codes):
    codes.append({"name": co.co_name, "qualname": getattr(co, "co_qualname", co.co_name),
                  "firstlineno": co.co_firstlineno, "instructions": instructions(co)})
    for c in co.co_consts:
        if hasattr(c, "co_code"):
            walk(c, codes)

out_dir = sys.argv[1]
args = sys.argv[2:]
for k in range(0, len(args), 2):
    kind, path = args[k], args[k + 1]
    stem = os.path.basename(path)[:-3]
    with open(path, encoding="utf-8") as f:
        src = f.read()
    code = compile(src, stem + ".py", "exec")
    codes = []
    walk(code, codes)
    d = os.path.join(out_dir, kind)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, stem + ".dis.json"), "w", encoding="utf-8") as f:
        json.dump({"python": sys.version.split()[0], "codes": codes}, f, indent=1)
        f.write("\n")
    buf = io.StringIO()
    dis.dis(code, file=buf)
    text = ADDR.sub(" at 0x...", buf.getvalue())
    with open(os.path.join(d, stem + ".dis.txt"), "w", encoding="utf-8") as f:
        f.write(text)
    print("  dis  %-11s %s (%d code objects)" % (kind, stem, len(codes)))
'''


class Failure(Exception):
    pass


def pyenv_root():
    if os.environ.get("PYENV_ROOT"):
        return os.environ["PYENV_ROOT"]
    try:
        return subprocess.check_output(["pyenv", "root"], universal_newlines=True).strip()
    except (OSError, subprocess.CalledProcessError):
        return os.path.expanduser("~/.pyenv")


def find_interpreters(root):
    """{"3.12": ("3.12.1", path)}: newest patch of each minor version (no 't' builds)."""
    found = {}
    vdir = os.path.join(root, "versions")
    for name in (os.listdir(vdir) if os.path.isdir(vdir) else []):
        m = re.match(r"^(3)\.(\d+)\.(\d+)$", name)
        exe = os.path.join(vdir, name, "bin", "python3")
        if not m or not os.access(exe, os.X_OK):
            continue
        minor = "3.%s" % m.group(2)
        key = (int(m.group(2)), int(m.group(3)))
        if minor not in found or key > found[minor][0]:
            found[minor] = (key, name, exe)
    return {k: (v[1], v[2]) for k, v in found.items()}


def corpus_kind(path):
    with open(path, encoding="utf-8") as f:
        first = f.readline().strip()
    if first == "# corpus: output":
        return "all"
    if first == "# corpus: output 3.10+":
        return "3.10+"
    raise Failure("%s: first line must be '# corpus: output' or '# corpus: output 3.10+', got %r"
                  % (os.path.relpath(path, ROOT), first))


def py_files(d):
    return sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".py")) if os.path.isdir(d) else []


def run_once(exe, path):
    with tempfile.TemporaryDirectory(prefix="record_python_") as cwd:
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8", PYTHONHASHSEED="0")
        env.pop("PYTHONPATH", None)
        try:
            p = subprocess.run([exe, path], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return None, "timed out after %d s" % TIMEOUT
        if p.returncode != 0:
            return None, "exit status %d: %s" % (p.returncode, p.stderr.decode("utf-8", "replace")[-2000:])
        return p.stdout, p.stderr.decode("utf-8", "replace")


def run_program(exe, path):
    """stdout of RUNS runs, which must agree; returns (stdout, warning text)."""
    outs, warn = [], ""
    for _ in range(RUNS):
        out, err = run_once(exe, path)
        if out is None:
            raise Failure("%s: %s" % (os.path.basename(path), err))
        if err.strip():
            warn = err.strip()
        outs.append(out)
    if any(o != outs[0] for o in outs):
        raise Failure("%s: output differs between runs (nondeterministic program):\n%s"
                      % (os.path.basename(path), "\n----\n".join(o.decode("utf-8", "replace") for o in outs)))
    return outs[0], warn


def record_version(minor, full, exe, corpus, experiments, jobs):
    out_dir = os.path.join(GOLDEN, minor)
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    os.makedirs(out_dir)
    print("== %s (%s)" % (full, exe))
    # 1. dis of every program, inside the interpreter.
    with tempfile.NamedTemporaryFile("w", suffix="_record_helper.py", delete=False) as f:
        f.write(HELPER)
        helper = f.name
    try:
        argv = [exe, helper, out_dir]
        for p in corpus:
            argv += ["corpus", p]
        for p in experiments:
            argv += ["experiments", p]
        r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
        sys.stdout.write(r.stdout)
        if r.returncode != 0:
            raise Failure("%s: dis helper failed (exit %d)" % (full, r.returncode))
    finally:
        os.unlink(helper)
    # 2. stdout of every corpus program, RUNS times each.
    todo, skipped = [], []
    for p in corpus:
        if corpus_kind(p) == "3.10+" and minor == "3.9":
            skipped.append(os.path.basename(p)[:-3])
        else:
            todo.append(p)
    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        futs = {ex.submit(run_program, exe, p): p for p in todo}
        for fut in concurrent.futures.as_completed(futs):
            p = futs[fut]
            stem = os.path.basename(p)[:-3]
            try:
                out, warn = fut.result()
            except Failure as e:
                failures.append(str(e))
                print("  FAIL %s" % e)
                continue
            with open(os.path.join(out_dir, "corpus", stem + ".out"), "wb") as f:
                f.write(out)
            print("  run  corpus      %s (%d runs agree, %d lines)%s"
                  % (stem, RUNS, out.count(b"\n"), "  [stderr: %s]" % warn.splitlines()[-1] if warn else ""))
    for s in skipped:
        print("  skip corpus      %s: '# corpus: output 3.10+' is not run on 3.9" % s)
    if failures:
        raise Failure("%s: %d corpus program(s) failed" % (full, len(failures)))
    return "%s (%s): dis recorded for %d corpus + %d experiment programs; %d outputs recorded, %d skipped" % (
        minor, full, len(corpus), len(experiments), len(todo), len(skipped))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--versions", default=",".join(WANTED), help="comma-separated minor versions (default: all)")
    ap.add_argument("--jobs", type=int, default=max(1, min(8, (os.cpu_count() or 2) // 2)),
                    help="corpus programs run at the same time")
    a = ap.parse_args()
    wanted = [v.strip() for v in a.versions.split(",") if v.strip()]
    for v in wanted:
        if v not in WANTED:
            print("error: unknown version %s (known: %s)" % (v, ", ".join(WANTED)))
            return 2
    corpus, experiments = py_files(CORPUS), py_files(EXPERIMENTS)
    if not corpus or not experiments:
        print("error: no programs under %s or %s" % (CORPUS, EXPERIMENTS))
        return 1
    root = pyenv_root()
    found = find_interpreters(root)
    print("record_python: %d corpus programs, %d experiment programs; interpreters under %s/versions"
          % (len(corpus), len(experiments), root))
    summary, failed = [], False
    try:
        for p in corpus:
            corpus_kind(p)
    except Failure as e:
        print("error: %s" % e)
        return 1
    for v in wanted:
        if v not in found:
            msg = "skip %s: not installed under pyenv" % v
            print(msg)
            summary.append(msg)
            continue
        full, exe = found[v]
        try:
            summary.append(record_version(v, full, exe, corpus, experiments, a.jobs))
        except Failure as e:
            print("FAILED: %s" % e)
            summary.append("%s (%s): FAILED: %s" % (v, full, str(e).splitlines()[0]))
            failed = True
    print("\nsummary:")
    for s in summary:
        print("  " + s)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
