# cext.release (variant release: the C code releases the GIL): T threads each make CALLS C calls
# with some Python between them, against the same calls made serially. numpy.dot releases the
# GIL around its C work (Py_BEGIN_ALLOW_THREADS, like Cython 'with nogil'), so the threads' C
# calls run in parallel on several cores. The experiment's serial run uses this program.
import sys
import threading
import time
import numpy

CALLS = 20                    # param: calls
KERNEL = 0.01                 # param: kernel_ms
GLUE = 10_000                 # param: glue
T = 4                         # param: threads
sys.setswitchinterval(0.005)  # param: interval_us
# KERNEL is the duration of one numpy.dot(a, b) call, modelled; nothing in the program reads it.
# version, cores: the simulated interpreter and machine, not part of the program

a = [[1.0, 2.0], [3.0, 4.0]]    # stand for arrays big enough that one dot takes KERNEL seconds
b = [[5.0, 6.0], [7.0, 8.0]]

def count(n):
    total = 0
    for i in range(n):
        total += i * i
    return total

def numpy_task(calls, glue):
    for _ in range(calls):
        numpy.dot(a, b)      # KERNEL s in C: Py_BEGIN_ALLOW_THREADS, the GIL is released
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
