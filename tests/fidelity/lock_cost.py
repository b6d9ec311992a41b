# The cost of `with lock:` around `counter += 1`, uncontended: the locked loop minus the bare
# loop, each the best of REPS runs of N iterations (the minimum is the least disturbed by a
# noisy machine). `gillab calibrate` runs this file (embedded in the binary) for its "global"
# and "locked" loops. Usage: python lock_cost.py [N [REPS]]
# Prints {"version", "global_ns", "locked_ns", "lock_ns"} (ns per iteration).
import json, sys, threading, time

counter = 0
lock = threading.Lock()


def glob(n):
    global counter
    for _ in range(n): counter += 1


def locked(n):
    global counter
    for _ in range(n):
        with lock: counter += 1


def best(f, n, reps):
    b = 1e18
    for _ in range(reps):
        t = time.perf_counter_ns(); f(n); b = min(b, time.perf_counter_ns() - t)
    return b / n


if __name__ == "__main__":
    N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    g = best(glob, N, reps)
    l = best(locked, N, reps)
    print(json.dumps({"version": sys.version.split()[0], "global_ns": round(g, 3), "locked_ns": round(l, 3),
                      "lock_ns": round(l - g, 3)}))
