#!/usr/bin/env python3
"""measure_cpython.py — measures the programs the lab makes claims about on every CPython
pyenv has here (3.9 ... 3.13), repeated, next to the simulator's figure for the same program,
and writes the table into docs/fidelity.md (between <!-- measured:begin --> and
<!-- measured:end -->; the rest of the file is written by hand).

    python3 scripts/measure_cpython.py [--gillab build/native/gillab] [--repeats 5]
                                       [--quick] [--wait 600] [--only NAME,...] [--out FILE]

The programs are files in tests/fidelity/ (each prints one JSON object), so anyone can rerun
one by hand: `python3.12 tests/fidelity/race.py call 2 1000000`.

Before measuring it checks that the machine is quiet: the 1-minute load average below half
the hardware threads and no compiler, linker, emcc, node or browser running. It waits up to
--wait seconds for that, then measures anyway and says so in the table's heading. A version
that is not installed is skipped with a message. Each row shows the lab's number, real
CPython's min / median / max over the repeats, and whether the lab's number is inside that
band (for counts that must be exact, inside means equal).
"""
import argparse, glob, json, os, platform, re, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGS = os.path.join(ROOT, "tests", "fidelity")
BUSY = {"cc1plus", "cc1", "clang", "clang++", "clang-14", "ld", "ld.lld", "emcc", "em++", "node", "chromium",
        "chrome", "make", "gmake", "ninja", "wasm-ld", "gillab_tests"}


def pythons():
    root = os.path.expanduser("~/.pyenv/versions")
    found = {}
    for v in ["3.9", "3.10", "3.11", "3.12", "3.13"]:
        c = sorted(glob.glob(os.path.join(root, v + ".*", "bin", "python3")),
                   key=lambda p: [int(x) for x in re.findall(r"\d+", p.split("/versions/")[1].split("/")[0])])
        c = [p for p in c if not re.search(r"\d+t/", p)]  # not the free-threaded builds
        if c:
            found[v] = c[-1]
        else:
            print(f"skip {v}: not installed under pyenv", file=sys.stderr)
    return found


def busy_processes():
    names = []
    for d in glob.glob("/proc/[0-9]*/comm"):
        try:
            n = open(d).read().strip()
        except OSError:
            continue
        if n in BUSY:
            names.append(n)
    return sorted(set(names))


def quiet_state():
    load = os.getloadavg()[0]
    busy = busy_processes()
    return load, busy, load < 0.5 * (os.cpu_count() or 1) and not busy


def wait_quiet(limit_s):
    t0 = time.time()
    while True:
        load, busy, ok = quiet_state()
        if ok or time.time() - t0 >= limit_s:
            return load, busy, ok
        print(f"[measure] waiting for a quiet machine: load {load:.2f}, running {', '.join(busy) or 'nothing'}",
              file=sys.stderr)
        time.sleep(15)


LAB_SEEDS = 5  # simulator runs per row (seeds 1..5); the row shows their median
CACHE = {}   # (python, program, args) -> list of results; see --reuse
CACHE_FILE = os.path.join(PROGS, "measured.json")
RECORDED = {}  # key of CACHE -> when, on which CPU and how quiet its runs were recorded
USED = set()   # the keys this table's rows read
MEASURED_NOW = set()  # the keys measured in this run (not reused)


def run_py(py, prog, *args):
    r = subprocess.run([py, os.path.join(PROGS, prog), *map(str, args)], capture_output=True, text=True, timeout=900)
    if r.returncode:
        raise RuntimeError(f"{prog} on {py}: {r.stderr.strip()[-400:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


class _NoLab(dict):
    """--record: the lab is not run; every figure reads 1."""
    def __missing__(self, key):
        return 1.0


def run_gillab(gillab, exp, params, seed=None, trace=None, profile=None):
    """One `gillab run EXP --json` with --set for each parameter: its metrics as a dict. trace: a
    path for the Chrome trace (else --no-trace); profile: a calibration file's path."""
    cmd = [gillab, "run", exp, "--json"] + (["--trace", trace] if trace else ["--no-trace"])
    if seed is not None:
        cmd += ["--seed", str(seed)]
    if profile:
        cmd += ["--profile", profile]
    cmd += [f"--set={k}={v}" for k, v in params.items()]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(" ".join(cmd) + ": " + out.stderr.strip())
    m = json.loads(out.stdout)["metrics"]
    return {x["key"]: x["value"] for x in m} if isinstance(m, list) else m


def sim(gillab, exp, **params):
    if gillab is None:
        return _NoLab(), "(not run: --record)"
    # Like real CPython's repeats, the lab runs several times (seeds 1..LAB_SEEDS: its wake-up
    # jitter differs) and each figure is the median: a race's final depends on where the few
    # switches land, so one seeded run is one draw, not the lab's answer.
    runs = [run_gillab(gillab, exp, params, seed=seed) for seed in range(1, LAB_SEEDS + 1)]
    med = {k: statistics.median(r[k] for r in runs) if isinstance(v, (int, float)) else v
           for k, v in runs[0].items() if all(k in r for r in runs)}
    return med, "gillab run " + exp + " " + " ".join(f"{k}={v}" for k, v in params.items())


def lab_pool_threads(gillab, version, tasks, work, workers, zero_msg, chunksize=1):
    """The simulator's CPU per message (bytecode and C code, each thread summed from the trace) of
    a process pool's threads, as tests/fidelity/pool_threads.py measures real CPython's; with
    zero_msg the VersionRow::pool_msg_* costs are set to 0, which gives the model's own charge."""
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        profile = None
        if zero_msg:
            profile = os.path.join(d, "p.txt")
            with open(profile, "w") as f:
                f.write(f"version = {version}\n" + "".join(f"pool_msg_{k}_ns = 0\n"
                                                         for k in ("main", "manager", "feeder", "worker")))
        params = dict(version=version, tasks=tasks, work=work, workers=workers, chunksize=chunksize,
                      payload_bytes=50, cores=os.cpu_count() or 1)
        m = run_gillab(gillab, "pool.compare", params, trace=os.path.join(d, "t.json"), profile=profile)
        tr = json.load(open(os.path.join(d, "t.json")))
    ev = tr["traceEvents"] if isinstance(tr, dict) else tr
    names = {(e["pid"], e["tid"]): e["args"]["name"] for e in ev if e.get("name") == "thread_name"}
    role = lambda n: ("manager" if n.startswith("manager") else "worker" if n.startswith("SpawnProcess")
                      else "feeder" if n == "QueueFeederThread" else "main" if n == "MainThread" else n)
    cpu = {"main": 0.0, "manager": 0.0, "feeder": 0.0, "worker": 0.0}
    for e in ev:
        if e.get("ph") == "X" and e["name"] in ("Running bytecode", "In C code (GIL released)"):
            r = role(names.get((e["pid"], e["tid"]), ""))
            if r in cpu:
                cpu[r] += e["dur"] / tasks  # trace times are microseconds
    cpu["worker"] -= m["work_per_task_ns"] / 1000
    cpu["wall"] = m["process_pool_ns"] / tasks / 1000
    return cpu


class Table:
    def __init__(self):
        self.rows = []

    def add(self, claim, version, lab, real, inside, cmd, prog):
        self.rows.append((claim, version, lab, real, inside, cmd, prog))
        print(f"{claim} | {version} | {lab} | {real} | {'yes' if inside else 'NO'}", flush=True)


def band(values, fmt):
    return f"{fmt(min(values))} / {fmt(statistics.median(values))} / {fmt(max(values))}"


def cpu_model():
    try:
        return next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        return "unknown CPU"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gillab", default=os.path.join(ROOT, "build", "native", "gillab"))
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "fidelity.md"))
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="smaller loops and 3 repeats (faster, noisier)")
    ap.add_argument("--wait", type=float, default=600, help="seconds to wait for a quiet machine")
    ap.add_argument("--reuse", action="store_true",
                    help=f"reuse real CPython's runs recorded in {os.path.relpath(CACHE_FILE, ROOT)} (re-measure only the lab)")
    ap.add_argument("--record", action="store_true",
                    help=f"only run real CPython and record its runs in {os.path.relpath(CACHE_FILE, ROOT)} "
                         "(no gillab needed; write the table later with --reuse)")
    ap.add_argument("--only", default="", help="comma-separated measurement names (cpu,io,mp,race,convoy,pool,poolthreads,lock,lockblocks,mpvalue,start)")
    a = ap.parse_args()
    if a.record and a.reuse:
        sys.exit("measure_cpython.py: --record measures real CPython, --reuse skips it: pick one")
    if a.record:
        a.gillab = None
    elif not os.access(a.gillab, os.X_OK):
        sys.exit(f"measure_cpython.py: no gillab at {a.gillab} (scripts/build.sh native)")
    reps = 3 if a.quick else a.repeats
    N = 2_000_000 if a.quick else 10_000_000
    only = set(x for x in a.only.split(",") if x)
    want = lambda name: not only or name in only
    cached_note = None
    if os.path.exists(CACHE_FILE):
        d = json.load(open(CACHE_FILE))
        old = d.get("recorded", {})
        RECORDED.update({k: old.get(k, f"{d['written']}, when {d['machine']}") for k in d["runs"]})
        if a.reuse:
            CACHE.update(d["runs"])
            cached_note = "see below"
    pys = pythons()
    if not pys:
        sys.exit("measure_cpython.py: no CPython under ~/.pyenv/versions")
    cores = os.cpu_count() or 1
    load, busy, ok = wait_quiet(0 if a.reuse else a.wait)
    quiet_note = (f"the machine was quiet (load {load:.2f} on {cores} hardware threads, no compiler or browser running)"
                  if ok else f"the machine was NOT quiet (load {load:.2f} on {cores} hardware threads; running: "
                  f"{', '.join(busy) or 'nothing named'}): read the bands with care")
    print("[measure]", "reusing the recorded runs of real CPython; anything not recorded is measured now, when "
          + quiet_note if cached_note else quiet_note, file=sys.stderr)
    t = Table()
    latest = list(pys)[-1]
    def rep_key(py, prog, *args):
        return json.dumps([os.path.realpath(py), prog, [str(x) for x in args]])

    def measured(py, prog, *args):
        key = rep_key(py, prog, *args)
        USED.add(key)
        if a.reuse and key in CACHE and len(CACHE[key]) >= reps:
            return CACHE[key][:reps]
        runs = [run_py(py, prog, *args) for _ in range(reps)]
        CACHE[key] = runs
        MEASURED_NOW.add(key)
        RECORDED[key] = f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {cpu_model()}, when {quiet_note}"
        if a.record:
            save_cache()  # kept as it goes: a long recording interrupted keeps what it measured
        return runs

    def save_cache():
        runs = dict(CACHE)
        if os.path.exists(CACHE_FILE) and only:
            # a partial recording keeps the other programs' earlier runs
            runs = {**json.load(open(CACHE_FILE))["runs"], **CACHE}
        with open(CACHE_FILE, "w") as f:
            json.dump({"written": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": quiet_note,
                       "runs": runs, "recorded": {k: v for k, v in RECORDED.items() if k in runs}},
                      f, indent=0, sort_keys=True)

    if want("cpu"):
        for v, py in pys.items():
            s, cmd = sim(a.gillab, "gil.cpu", version=v, iterations=N, cores=cores, threads=2)
            runs = measured(py, "cpu_threads.py", N)
            sp = [r["serial_s"] / r["threads_s"] for r in runs]
            t.add("Two CPU-bound threads vs the same two calls serially: speedup", v, f"{s['speedup']:.3f}x",
                  band(sp, lambda x: f"{x:.3f}x"), min(sp) <= s["speedup"] <= max(sp), cmd, f"cpu_threads.py {N}")
    if want("io"):
        # the oldest and the newest: time.sleep() waits in select() up to 3.10, clock_nanosleep() after
        for v in dict.fromkeys([list(pys)[0], latest]):
            s, cmd = sim(a.gillab, "gil.io", version=v, threads=4, io_ms=500, cpu_per_request=0, cores=cores)
            runs = measured(pys[v], "io_threads.py")
            th = [r["threads_s"] for r in runs]
            lab = s["threads_ns"] / 1e9
            t.add("Four threads each sleeping 0.5 s: wall time", v, f"{lab:.4f} s", band(th, lambda x: f"{x:.4f} s"),
                  min(th) <= lab <= max(th), cmd, "io_threads.py")
            se = [r["serial_s"] for r in runs]
            lab = s["serial_ns"] / 1e9
            t.add("The same four 0.5 s sleeps one after another: wall time", v, f"{lab:.4f} s",
                  band(se, lambda x: f"{x:.4f} s"), min(se) <= lab <= max(se), cmd, "io_threads.py")
    if want("mp"):
        s, cmd = sim(a.gillab, "mp.process", version=latest, workers=2, iterations=N, cores=cores)
        runs = measured(pys[latest], "mp_processes.py", N)
        sp = [r["serial_s"] / r["processes_s"] for r in runs]
        t.add(f"Two processes (fork) vs serial, {cores} cores: speedup", latest, f"{s['speedup_processes']:.2f}x",
              band(sp, lambda x: f"{x:.2f}x"), min(sp) <= s["speedup_processes"] <= max(sp), cmd, f"mp_processes.py {N}")
    if want("race"):
        for variant in ["inplace", "call", "locked"]:
            for v, py in pys.items():
                s, cmd = sim(a.gillab, "race.counter", version=v, variant=variant, threads=2, increments=1_000_000,
                             cores=cores)
                finals = [r["final"] for r in measured(py, "race.py", variant, 2, 1_000_000)]
                lab = int(s["final"])
                t.add(f"race.counter {variant}: final of 2 threads x 1,000,000", v, f"{lab:,}",
                      band(finals, lambda x: f"{int(x):,}"), min(finals) <= lab <= max(finals), cmd,
                      f"race.py {variant} 2 1000000")
    if want("convoy"):
        for v, py in pys.items():
            s, cmd = sim(a.gillab, "gil.convoy", version=v, io_ms=1, requests=100, cores=cores)
            runs = measured(py, "convoy.py")
            med = [r["median_s"] * 1e3 for r in runs]
            lab = s["wake_latency_median_ns"] / 1e6
            t.add("An I/O thread next to a CPU-bound one: median extra delay per 1 ms sleep", v, f"{lab:.2f} ms",
                  band(med, lambda x: f"{x:.2f} ms"), min(med) <= lab <= max(med), cmd, "convoy.py")
            alone = [r["alone_median_s"] * 1e6 for r in runs]
            lab = s["alone_latency_median_ns"] / 1e3
            t.add("The same 1 ms sleeps alone: median overshoot", v, f"{lab:.0f} us",
                  band(alone, lambda x: f"{x:.0f} us"), min(alone) <= lab <= max(alone), cmd, "convoy.py")
    if want("pool"):
        TASKS, WORK, W, CHUNK = 2000, 50, 2, 100
        for v in [list(pys)[0], latest]:
            py = pys[v]
            s, cmd = sim(a.gillab, "pool.compare", version=v, tasks=TASKS, work=WORK, workers=W, payload_bytes=50,
                         cores=cores)
            runs = measured(py, "pool_tiny.py", TASKS, WORK, W, CHUNK)
            for key, lab_key, what in (("thread_pool_s", "speedup_thread_pool", "ThreadPoolExecutor"),
                                        ("process_pool_s", "speedup_process_pool", "ProcessPoolExecutor")):
                ratio = [r[key] / r["serial_s"] for r in runs]
                lab = 1.0 / s[lab_key]
                t.add(f"{TASKS} tiny tasks ({WORK} iterations) on {W} workers: {what} time / plain loop", v,
                      f"{lab:.1f}x", band(ratio, lambda x: f"{x:.1f}x"), min(ratio) <= lab <= max(ratio), cmd,
                      f"pool_tiny.py {TASKS} {WORK} {W} {CHUNK}")
            sc, cmdc = sim(a.gillab, "pool.compare", version=v, tasks=TASKS, work=WORK, workers=W, payload_bytes=50,
                           chunksize=CHUNK, cores=cores)
            ratio = [r["process_pool_chunked_s"] / r["serial_s"] for r in runs]
            lab = 1.0 / sc["speedup_process_pool"]
            t.add(f"same, ProcessPoolExecutor with chunksize={CHUNK}", v, f"{lab:.1f}x",
                  band(ratio, lambda x: f"{x:.1f}x"), min(ratio) <= lab <= max(ratio), cmdc,
                  f"pool_tiny.py {TASKS} {WORK} {W} {CHUNK}")
    if want("lock"):
        T, NL = 10, 100_000
        for v, py in pys.items():
            s, cmd = sim(a.gillab, "race.lock_cost", version=v, threads=T, increments=NL, cores=cores)
            per = [r["seconds"] / (T * NL) * 1e9 for r in measured(py, "race.py", "locked", T, NL)]
            lab = s["ns_per_locked_increment"]
            t.add(f"`with lock: counter += 1`, {T} threads x {NL:,}: time per increment", v, f"{lab:.0f} ns",
                  band(per, lambda x: f"{x:.0f} ns"), min(per) <= lab <= max(per), cmd, f"race.py locked {T} {NL}")
    if want("lockblocks"):
        T, NL = 10, 100_000
        for v in [list(pys)[0]]:
            s, cmd = sim(a.gillab, "race.lock_cost", version=v, threads=T, increments=NL, cores=cores)
            blocks = [r["blocked"] for r in measured(pys[v], "lock_blocks.py", T, NL)]
            # VersionRow::lock_wake_ns: over the runs, seconds = a + b * blocked; a per increment,
            # less one thread's loop, is what a release costs while waiters are registered.
            for vv, py in pys.items():
                pts = [(r["seconds"], r["blocked"]) for r in measured(py, "lock_blocks.py", T, NL)]
                one = min(r["seconds"] for r in measured(py, "lock_blocks.py", 1, T * NL))
                mx = statistics.mean(b for _, b in pts); my = statistics.mean(t for t, _ in pts)
                vx = sum((b - mx) ** 2 for _, b in pts)
                if vx > 0 and max(b for _, b in pts) > 2 * min(b for _, b in pts):
                    slope = sum((b - mx) * (t - my) for t, b in pts) / vx
                    print(f"[measure] lock_blocks.py fit, {vv}: a release with waiters "
                          f"{((my - slope * mx) - one) / (T * NL) * 1e9:.0f} ns, a blocked acquisition "
                          f"{slope * 1e6:.1f} us (VersionRow::lock_wake_ns)", file=sys.stderr)
                else:
                    print(f"[measure] lock_blocks.py fit, {vv}: the runs were all in one regime, no line to fit",
                          file=sys.stderr)
            lab = int(s["lock_contended"])
            t.add(f"`with lock: counter += 1`, {T} threads x {NL:,}: acquisitions that had to block", v, f"{lab:,}",
                  band(blocks, lambda x: f"{int(x):,}"), min(blocks) <= lab <= max(blocks), cmd, f"lock_blocks.py {T} {NL}")
    if want("poolthreads"):
        # VersionRow::pool_msg_*: each thread's CPU per message in a real process pool, less what
        # the model's own steps charge that thread (the simulator with those costs at 0).
        TASKS, WORK, W = 2000, 50, 2
        for v, py in pys.items():
            runs = measured(py, "pool_threads.py", TASKS, WORK, W, 1)
            real = {k: statistics.median(r[k + "_us"] for r in runs) for k in ("wall", "main", "manager", "feeder", "worker")}
            # VersionRow::pool_fixed_*: one chunk per worker (chunksize TASKS / W), each thread's CPU
            # for the whole pool less its W messages at the per-message figure above; per worker.
            big = measured(py, "pool_threads.py", TASKS, WORK, W, TASKS // W)
            fixed = {k: max(0.0, statistics.median(r[k + "_us"] for r in big) * W - W * real[k]) / (W if k == "worker" else 1)
                     for k in ("main", "manager", "feeder", "worker")}
            print(f"[measure] pool_threads.py {TASKS} {WORK} {W} {TASKS // W}, {v}: pool_fixed_{{main,manager,feeder,worker}}_ns = "
                  + ", ".join(f"{fixed[k] * 1000:.0f}" for k in ("main", "manager", "feeder", "worker"))
                  + " (the worker's per worker)", file=sys.stderr)
            if a.gillab is None:
                print(f"[measure] pool_threads.py, {v}: real us per message " +
                      ", ".join(f"{k} {x:.1f}" for k, x in real.items()), file=sys.stderr)
                continue
            own = lab_pool_threads(a.gillab, v, TASKS, WORK, W, True)
            now = lab_pool_threads(a.gillab, v, TASKS, WORK, W, False)
            print(f"[measure] pool_threads.py fit, {v} (us per message, real / the model's own charge / "
                  f"the lab now): " + ", ".join(f"{k} {real[k]:.1f} / {own[k]:.1f} / {now[k]:.1f}" for k in real) +
                  "; pool_msg_{main,manager,feeder,worker}_ns = " +
                  ", ".join(f"{max(0.0, real[k] - own[k]) * 1000:.0f}" for k in ("main", "manager", "feeder", "worker")),
                  file=sys.stderr)
    if want("mpvalue"):
        P, NV = 4, 100_000
        for v in [latest]:
            s, cmd = sim(a.gillab, "race.counter", version=v, variant="mp_value", threads=P, increments=NV, cores=cores)
            finals = [r["final"] for r in measured(pys[v], "mp_value.py", P, NV)]
            lab = int(s["final"])
            t.add(f"multiprocessing.Value, {P} processes x {NV:,} `x.value += 1`: final", v, f"{lab:,}",
                  band(finals, lambda x: f"{int(x):,}"), min(finals) <= lab <= max(finals), cmd, f"mp_value.py {P} {NV}")
    if want("start"):
        for method in ["fork", "forkserver", "spawn"]:
            s, cmd = sim(a.gillab, "mp.process", version=latest, start_method=method, workers=1, iterations=1000,
                         cores=cores)
            runs = measured(pys[latest], "process_start.py", method, 6)
            for key, what, lab_key in (("first_s", "first start", "process_first_start_ns"),
                                       ("later_median_s", "later starts (median)", "process_start_ns")):
                lab = s[lab_key] / 1e6
                vals = [r[key] * 1e3 for r in runs]
                t.add(f"Process start and join, {method}: {what}", latest, f"{lab:.1f} ms",
                      band(vals, lambda x: f"{x:.1f} ms"), min(vals) <= lab <= max(vals), cmd,
                      f"process_start.py {method} 6")

    if not a.reuse or MEASURED_NOW:
        # --reuse keeps what it had to measure now too, so the table's bands can be written again
        save_cache()
        if a.record:
            print(f"recorded real CPython's runs in {CACHE_FILE}; write the table with --reuse", file=sys.stderr)
            return
    inside = sum(1 for r in t.rows if r[4])
    host = platform.node() or "this machine"
    cpu = cpu_model()
    # One entry per recording session (day, CPU, how quiet): its programs and its span of minutes.
    by_session = {}
    for k in sorted(USED):
        note = RECORDED.get(k, "at an unknown time")
        m = re.match(r"^(\d{4}-\d\d-\d\d) (\d\d:\d\d) UTC (.*)$", note)
        day, hhmm, rest = (m.group(1), m.group(2), m.group(3)) if m else ("", "", note)
        times, progs = by_session.setdefault((day, rest), (set(), set()))
        times.add(hhmm)
        progs.add(json.loads(k)[1])
    def when(day, times):
        if not day:
            return ""
        span = min(times) if len(times) == 1 else f"{min(times)}-{max(times)}"
        return f"{day} {span} UTC "
    recorded = "; ".join(f"{', '.join(f'`{p}`' for p in sorted(progs))} recorded {when(day, times)}{rest}"
                         for (day, rest), (times, progs) in sorted(by_session.items()))
    body = [f"Written by `{' '.join(['python3 scripts/measure_cpython.py'] + sys.argv[1:])}` on "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {cores} hardware threads ({cpu}); "
            f"real runs: {recorded}. CPython: " + ", ".join(f"{v} ({p})" for v, p in pys.items()) + f". Each real figure is "
            f"min / median / max over {reps} runs of the program in `tests/fidelity/`; the lab's figure is the median "
            f"of {LAB_SEEDS} simulator runs (seeds 1-{LAB_SEEDS}) with its built-in profile and `cores` set to this machine's. {inside} of {len(t.rows)} "
            "rows are inside real CPython's band.", "",
            "| claim | CPython | lab | real CPython: min / median / max | inside | lab command | real program |",
            "|---|---|---|---|---|---|---|"]
    for claim, v, lab, real, ins, cmd, prog in t.rows:
        body.append(f"| {claim} | {v} | {lab} | {real} | {'yes' if ins else '**no**'} | `{cmd}` | `{prog}` |")
    text = "\n".join(body)
    doc = open(a.out).read() if os.path.exists(a.out) else "# Fidelity\n"
    b, e = "<!-- measured:begin -->", "<!-- measured:end -->"
    block = f"{b}\n{text}\n{e}"
    if b in doc:
        doc = re.sub(re.escape(b) + ".*?" + re.escape(e), lambda m: block, doc, flags=re.S)
    else:
        doc = doc.rstrip() + "\n\n## Measured: the lab next to real CPython\n\n" + block + "\n"
    with open(a.out, "w") as f:
        f.write(doc)
    print(f"wrote {a.out}: {inside} of {len(t.rows)} rows inside", file=sys.stderr)


if __name__ == "__main__":
    main()
