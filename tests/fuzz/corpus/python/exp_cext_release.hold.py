# cext.release (variant hold: the C code keeps the GIL): T threads each make CALLS C calls with
# some Python between them. json.dumps's C encoder keeps the GIL for its whole duration, so every
# other thread waits and the threads get no speedup. The function keeps the name numpy_task so
# that both variants have the same shape.
import sys
import threading
import time
import json

CALLS = 20                    # param: calls
KERNEL = 0.01                 # param: kernel_ms
GLUE = 10_000                 # param: glue
T = 4                         # param: threads
sys.setswitchinterval(0.005)  # param: interval_us
# KERNEL is the duration of one json.dumps(rows) call, modelled; nothing in the program reads it.
# version, cores: the simulated interpreter and machine, not part of the program

rows = [[1.0, 2.0], [3.0, 4.0]]   # stands for data big enough that one dumps takes KERNEL seconds

def count(n):
    total = 0
    for i in range(n):
        total += i * i
    return total

def numpy_task(calls, glue):
    for _ in range(calls):
        json.dumps(rows)     # KERNEL s in C that keeps the GIL (json's C encoder never releases it)
        count(glue)          # some Python between the calls

def serial(reps, calls, glue):
    for _ in range(reps):
        numpy_task(calls, glue)

start = time.perf_counter()
serial(T, CALLS, GLUE)
serial_time = time.perf_counter() - start

threads = [threading.Thread(target=numpy_task, args=(CALLS, GLUE)) for _ in range(T)]
start = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
threads_time = time.perf_counter() - start

print('serial ', serial_time)
print('threads', threads_time)
