# mp.process: the same CPU-bound work as W processes (each with its own interpreter and GIL),
# as W threads (one GIL) and serially. Processes really run in parallel but pay for starting
# and for sending their results back pickled.
import threading
import queue
import time
from multiprocessing import Process, Queue

N = 100_000_000               # param: iterations
W = 2                         # param: workers
START_METHOD = 'fork'         # param: start_method
RESULT_BYTES = 100            # param: result_bytes
# START_METHOD: fork is Linux's default up to 3.13 (multiprocessing.set_start_method is outside
# the subset, so the simulator takes it from here). RESULT_BYTES: the pickled size of each
# worker's result. version, cores: the simulated interpreter and machine.

def count(n):
    total = 0
    for i in range(n):
        total += i * i
    return total

def worker(n, results):
    result = count(n)
    results.put(result)       # pickled back to the parent when results is a multiprocessing.Queue

def serial(reps, n, results):
    for _ in range(reps):
        worker(n, results)

results = queue.Queue()
start = time.perf_counter()
serial(W, N, results)
serial_time = time.perf_counter() - start

results = queue.Queue()
threads = [threading.Thread(target=worker, args=(N, results)) for _ in range(W)]
start = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
threads_time = time.perf_counter() - start

results = Queue()
procs = [Process(target=worker, args=(N, results)) for _ in range(W)]
start = time.perf_counter()
for p in procs:
    p.start()
got = [results.get() for _ in range(W)]
for p in procs:
    p.join()
processes_time = time.perf_counter() - start

print('serial   ', serial_time)
print('threads  ', threads_time)
print('processes', processes_time)
