# Where a ThreadPoolExecutor's time per task goes, measured in parts that do not overlap:
#   submit_ns  the parent's submit() per task (Future, _WorkItem, the work queue, the shutdown
#              lock, _adjust_thread_count), timed while the pool's one worker is blocked
#   worker_ns  a worker's part per task beyond the task itself (taking the work item, running
#              it, set_result() and its notify), timed with the parent waiting outside the GIL
#   result_ns  the parent's result() per finished future (what map's iterator does per task)
#   task_ns    the task alone, called in a plain loop
# Prints them as JSON. Usage: python pool_parts.py TASKS WORK
import json, sys, threading, time
from concurrent.futures import ThreadPoolExecutor

def task(n):
    total = 0
    for i in range(n):
        total += i * i
    return total

if __name__ == "__main__":
    TASKS, WORK = int(sys.argv[1]), int(sys.argv[2])
    t = time.perf_counter()
    for _ in range(TASKS):
        task(WORK)
    task_ns = (time.perf_counter() - t) / TASKS * 1e9
    gate = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as ex:
        first = ex.submit(gate.wait)          # the worker blocks here, outside the GIL
        time.sleep(0.05)
        t = time.perf_counter()
        futs = [ex.submit(task, WORK) for _ in range(TASKS)]
        submit_ns = (time.perf_counter() - t) / TASKS * 1e9
        t = time.perf_counter()
        gate.set()
        futs[-1].result()                     # the parent waits outside the GIL
        run_ns = (time.perf_counter() - t) / TASKS * 1e9
        t = time.perf_counter()
        for f in futs:
            f.result()
        result_ns = (time.perf_counter() - t) / TASKS * 1e9
    print(json.dumps({"submit_ns": submit_ns, "worker_ns": run_ns - task_ns, "result_ns": result_ns, "task_ns": task_ns}))
