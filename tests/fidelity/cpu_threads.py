# Two CPU-bound calls one after another, then the same two calls in two threads.
# Prints {"serial_s", "threads_s"}. Usage: python cpu_threads.py N [SWITCH_INTERVAL_S]
import json, sys, threading, time

N = int(sys.argv[1])
if len(sys.argv) > 2:
    sys.setswitchinterval(float(sys.argv[2]))

def count(n):
    total = 0
    for i in range(n):
        total += i * i
    return total

t = time.perf_counter()
count(N)
count(N)
serial = time.perf_counter() - t
threads = [threading.Thread(target=count, args=(N,)) for _ in range(2)]
t = time.perf_counter()
for th in threads:
    th.start()
for th in threads:
    th.join()
print(json.dumps({"serial_s": serial, "threads_s": time.perf_counter() - t}))
