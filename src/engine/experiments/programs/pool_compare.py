# pool.compare: the same tasks through a ThreadPoolExecutor and a ProcessPoolExecutor, against
# serial. A process pool pickles every task's arguments and result and sends them through a
# pipe, so it pays off only when each task computes for much longer than that takes; a thread
# pool needs no pickling but its workers share one GIL.
import time
from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor

W = 4                         # param: workers
TASKS = 100                   # param: tasks
WORK = 100_000                # param: work
PAYLOAD = 1000                # param: payload_bytes
CHUNK = 1                     # param: chunksize
# PAYLOAD: the pickled size of each task's arguments and of its result (process pool).
# version, cores: the simulated interpreter and machine, not part of the program

def count(n):
    total = 0
    for i in range(n):
        total += i * i
    return total

def task(i):                  # arguments and result are pickled for processes
    return count(WORK)

def serial(reps, n):
    for _ in range(reps):
        count(n)

start = time.perf_counter()
serial(TASKS, WORK)
serial_time = time.perf_counter() - start

start = time.perf_counter()
with ThreadPoolExecutor(max_workers=W) as ex:
    results = ex.map(task, range(TASKS))
    thread_results = [r for r in results]
thread_pool_time = time.perf_counter() - start

start = time.perf_counter()
with ProcessPoolExecutor(max_workers=W) as ex:
    results = ex.map(task, range(TASKS), chunksize=CHUNK)
    process_results = [r for r in results]
process_pool_time = time.perf_counter() - start

print('serial             ', serial_time)
print('ThreadPoolExecutor ', thread_pool_time)
print('ProcessPoolExecutor', process_pool_time)
