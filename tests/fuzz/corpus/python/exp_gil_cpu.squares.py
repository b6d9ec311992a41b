# gil.cpu (workload squares): T threads each run a CPU-bound loop, against the same calls made
# one after another. With the GIL only one thread runs bytecode at a time, so the threads are no
# faster than serial (the seeds' program: 2 threads x 10**8).
import sys
import threading
import time

N = 100_000_000               # param: iterations
T = 2                         # param: threads
sys.setswitchinterval(0.005)  # param: interval_us
# version, cores: the simulated interpreter and machine, not part of the program

def count(n):
    total = 0
    for i in range(n):
        total += i * i
    return total

def serial(reps, n):
    for _ in range(reps):
        count(n)

start = time.perf_counter()
serial(T, N)
serial_time = time.perf_counter() - start

threads = [threading.Thread(target=count, args=(N,)) for _ in range(T)]
start = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
threads_time = time.perf_counter() - start

print('serial ', serial_time)
print('threads', threads_time)
