# gil.mixed: workers that compute (holding the GIL) and then wait (releasing it). With threads
# the waits overlap but the computing does not: about T CPU phases plus one wait.
import sys
import threading
import time

IO = 0.5                      # param: io_ms
W = 1_000_000                 # param: work
T = 3                         # param: threads
sys.setswitchinterval(0.005)  # param: interval_us
# version, cores: the simulated interpreter and machine, not part of the program

def count(n):
    total = 0
    for i in range(n):
        total += i * i
    return total

def mixed_worker(work):
    count(work)           # CPU phase: holds the GIL
    time.sleep(IO)        # I/O phase: releases the GIL

def serial(reps, work):
    for _ in range(reps):
        mixed_worker(work)

start = time.perf_counter()
serial(T, W)
serial_time = time.perf_counter() - start

threads = [threading.Thread(target=mixed_worker, args=(W,)) for _ in range(T)]
start = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
threads_time = time.perf_counter() - start

print('serial ', serial_time)
print('threads', threads_time)
