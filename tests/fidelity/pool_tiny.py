# TASKS tiny tasks (a loop of WORK iterations: a few microseconds) on W workers: a plain
# loop, ThreadPoolExecutor.map, ProcessPoolExecutor.map with chunksize 1 and with a larger
# chunksize. Prints {"serial_s", "thread_pool_s", "process_pool_s", "process_pool_chunked_s"}.
# Usage: python pool_tiny.py TASKS WORK W CHUNK
import json, sys, time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

def task(n):
    total = 0
    for i in range(n):
        total += i * i
    return total

if __name__ == "__main__":
    TASKS, WORK, W, CHUNK = (int(a) for a in sys.argv[1:5])
    out = {}
    t = time.perf_counter()
    for _ in range(TASKS):
        task(WORK)
    out["serial_s"] = time.perf_counter() - t
    t = time.perf_counter()
    with ThreadPoolExecutor(max_workers=W) as ex:
        list(ex.map(task, [WORK] * TASKS))
    out["thread_pool_s"] = time.perf_counter() - t
    for key, chunk in (("process_pool_s", 1), ("process_pool_chunked_s", CHUNK)):
        t = time.perf_counter()
        with ProcessPoolExecutor(max_workers=W) as ex:
            list(ex.map(task, [WORK] * TASKS, chunksize=chunk))
        out[key] = time.perf_counter() - t
    print(json.dumps(out))
