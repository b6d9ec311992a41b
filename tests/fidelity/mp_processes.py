# Two CPU-bound calls one after another, then in two processes (fork).
# Prints {"serial_s", "processes_s"}. Usage: python mp_processes.py N
import json, sys, time
from multiprocessing import get_context

def count(n):
    total = 0
    for i in range(n):
        total += i * i
    return total

if __name__ == "__main__":
    N = int(sys.argv[1])
    t = time.perf_counter()
    count(N)
    count(N)
    serial = time.perf_counter() - t
    ctx = get_context("fork")
    procs = [ctx.Process(target=count, args=(N,)) for _ in range(2)]
    t = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print(json.dumps({"serial_s": serial, "processes_s": time.perf_counter() - t}))
