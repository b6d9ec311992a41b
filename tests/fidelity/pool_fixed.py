# A ProcessPoolExecutor's fixed cost in the parent's main thread (time.thread_time: its own
# CPU, user + system): the executor's construction (its queues and their SemLocks, the
# wake-up pipe), starting W worker processes (forked), one tiny call, and shutdown(wait=True)
# (the sentinels, joining the manager thread and the workers); next to it, what one fork costs
# the parent (multiprocessing.Process.start() of a process that does nothing). Medians of
# REPEATS runs. Prints {"fork_parent_us", "pool_main_us"}.
# Usage: python pool_fixed.py W REPEATS
import json, statistics, sys, time
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor

def noop(x):
    return x

if __name__ == "__main__":
    W, REPEATS = int(sys.argv[1]), int(sys.argv[2])
    mp.set_start_method("fork")
    fork, pool = [], []
    for _ in range(REPEATS):
        p = mp.Process(target=noop, args=(0,))
        t = time.thread_time()
        p.start()
        fork.append(time.thread_time() - t)
        p.join()
        t = time.thread_time()
        with ProcessPoolExecutor(max_workers=W) as ex:
            ex.submit(noop, 0).result()
        pool.append(time.thread_time() - t)
    print(json.dumps({"fork_parent_us": round(statistics.median(fork) * 1e6, 1),
                      "pool_main_us": round(statistics.median(pool) * 1e6, 1)}))
