# calibrate.py: what `gillab calibrate` runs in the user's CPython (embedded in the binary at
# build time, with the programs of tests/fidelity/ it reuses). Prints "<key> <value>" lines;
# loop times are ns per iteration, the best of several repeats (the minimum is the least
# disturbed by a noisy machine).
# Usage: python calibrate.py N DIR   (DIR holds convoy.py, lock_cost.py, pool_parts.py, pool_wakeup.py,
# sleep_overshoot.py, thread_start.py)
import json, os, pickle, subprocess, sys, time
import multiprocessing as mp

N = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
PROGS = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "..", "tests", "fidelity")


def empty(n):
    for i in range(n): pass


def sq(n):
    total = 0
    for i in range(n): total += i * i
    return total


def countdown(n):
    while n > 0: n -= 1


counter = 0


def add_one(x): return x + 1


def callv(n):
    global counter
    for _ in range(n): counter = add_one(counter)


def best(f, n, reps=5):
    b = 1e18
    for _ in range(reps):
        t = time.perf_counter_ns(); f(n); b = min(b, time.perf_counter_ns() - t)
    return b / n


def nothing(): pass


def thread_start(reps=5):
    # tests/fidelity/thread_start.py, each run a fresh process: the first start() and the later
    # ones (medians over the runs)
    runs = [program("thread_start.py") for _ in range(reps)]
    return [sorted(r[k] for r in runs)[reps // 2] for k in ("first_ns", "fresh_ns")]


def proc_start(method, reps=5):
    ctx = mp.get_context(method)
    b = 1e18
    for _ in range(reps):
        t = time.perf_counter_ns(); p = ctx.Process(target=nothing); p.start(); p.join()
        b = min(b, time.perf_counter_ns() - t)
    return b


def pickle_rate():
    data = list(range(200_000))
    blob = pickle.dumps(data)
    b = 1e18
    for _ in range(5):
        t = time.perf_counter_ns(); pickle.loads(pickle.dumps(data)); b = min(b, time.perf_counter_ns() - t)
    return b / len(blob) / 2, len(blob)


def program(name, *args):
    """One of tests/fidelity/'s programs, in this same CPython: its JSON."""
    r = subprocess.run([sys.executable, os.path.join(PROGS, name), *map(str, args)], capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError(name + ": " + r.stderr.strip()[-300:])
    return json.loads(r.stdout.strip().splitlines()[-1])


def lock_loops(n):
    # tests/fidelity/lock_cost.py N: `counter += 1` on a global, bare and inside `with lock:`
    r = program("lock_cost.py", n)
    return r["global_ns"], r["locked_ns"]


def sleep_overshoot():
    # tests/fidelity/sleep_overshoot.py 20 1: the median overshoot of time.sleep at each length
    # (20 sleeps a length, at most about a second each), us
    return program("sleep_overshoot.py", 20, 1)


def handoff():
    # tests/fidelity/convoy.py: 1 ms sleeps next to a CPU-bound thread, then alone; the median
    # extra delay beyond the switch interval is what a GIL hand-off costs on this machine.
    r = program("convoy.py")
    return (r["median_s"] - sys.getswitchinterval() - r["alone_median_s"]) * 1e9


def pool_parts(reps=3):
    # tests/fidelity/pool_parts.py 2000 50: submit(), a worker's run beyond the task, result(),
    # per task (the best of reps).
    runs = [program("pool_parts.py", 2000, 50) for _ in range(reps)]
    return [min(r[k] for r in runs) for k in ("submit_ns", "worker_ns", "result_ns")]


def pool_wakeup():
    # tests/fidelity/pool_wakeup.py: the process pool's wake-up pipe per submit() (best of 5 inside)
    r = program("pool_wakeup.py")
    return r["write_ns"], r["wake_ns"]


def line(key, value):
    print(key, value, flush=True)


if __name__ == "__main__":
    line("version", "%d.%d%s" % (sys.version_info[0], sys.version_info[1],
         "t" if hasattr(sys, "_is_gil_enabled") and not sys._is_gil_enabled() else ""))
    for name, f in [("empty", empty), ("squares", sq), ("countdown", countdown), ("call", callv)]:
        line(name, "%.3f" % best(f, N))
    g, l = lock_loops(N)
    line("global", "%.3f" % g)
    line("locked", "%.3f" % l)
    first, later = thread_start()
    line("thread_start", "%.0f" % later)
    line("thread_first_start", "%.0f" % first)
    for m in ("fork", "forkserver", "spawn"):
        try:
            line("process_" + m, "%.0f" % proc_start(m))
        except Exception:
            pass
    per_byte, size = pickle_rate()
    line("pickle_ns_per_byte", "%.4f" % per_byte)
    for ms, us in sleep_overshoot().items():
        line("sleep_overshoot." + ms, "%.1f" % us)
    line("handoff", "%.0f" % handoff())
    sub, run, res = pool_parts()
    line("pool_submit", "%.0f" % sub)
    line("pool_worker", "%.0f" % run)
    line("pool_result", "%.0f" % res)
    wr, wm = pool_wakeup()
    line("pool_wakeup", "%.0f" % wr)
    line("pool_manager", "%.0f" % wm)
