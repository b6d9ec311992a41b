# The cost of `with lock:` around `counter += 1`: the locked loop minus the bare loop, best of 5.
# Prints one line: version, ns per iteration of each loop and their difference.
import threading, time, sys
counter = 0
lock = threading.Lock()
def glob(n):
    global counter
    for _ in range(n): counter += 1
def locked(n):
    global counter
    for _ in range(n):
        with lock: counter += 1
def best(f, n, reps=5):
    b = 1e18
    for _ in range(reps):
        t = time.perf_counter_ns(); f(n); b = min(b, time.perf_counter_ns() - t)
    return b / n
N = 1_000_000
g = best(glob, N); l = best(locked, N)
print(sys.version.split()[0], "global %.1f locked %.1f lock %.1f" % (g, l, l - g))
