# corpus: output
# time.sleep and time.perf_counter: elapsed time is at least the sleep.
import time

start = time.perf_counter()
time.sleep(0.01)
elapsed = time.perf_counter() - start
print(elapsed >= 0.01, elapsed < 5)

def timed(n):
    t0 = time.perf_counter()
    s = 0
    for i in range(n):
        s += i
    return time.perf_counter() - t0 >= 0, s

print(timed(10000))
