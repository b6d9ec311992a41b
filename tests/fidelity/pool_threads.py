# Where a ProcessPoolExecutor's time per message goes, thread by thread: TASKS tiny tasks (a
# loop of WORK iterations) mapped on W worker processes with chunksize CHUNK, and the CPU time
# (time.thread_time: user + system, the thread's own) of each thread that handles a message:
# the parent's main thread (map's submit() and its iterator's result()), the executor's manager
# thread (Lib/concurrent/futures/process.py, _ExecutorManagerThread, or the 3.9 manager
# function), the call queue's feeder thread (multiprocessing/queues.py, Queue._feed), and each
# worker process's _process_worker. Prints {"messages", "wall_us", "main_us", "manager_us",
# "feeder_us", "worker_us"}: wall time and CPU time per message (a chunk of CHUNK calls),
# worker_us summed over the workers and less the work itself (CHUNK calls of the task timed
# alone), so what the executor costs beyond the work.
# Usage: python pool_threads.py TASKS WORK W CHUNK
import json, os, sys, tempfile, time
import concurrent.futures.process as cfp
import multiprocessing.queues as mq
from concurrent.futures import ProcessPoolExecutor

def task(n):
    total = 0
    for i in range(n):
        total += i * i
    return total

cpu = {}
def timed(name, f):
    def g(*a, **k):
        t = time.thread_time()
        try:
            return f(*a, **k)
        finally:
            cpu[name] = cpu.get(name, 0.0) + time.thread_time() - t
    return g

OUT = tempfile.mkdtemp(prefix="pool_threads-")
def worker_timed(f):  # runs in the forked worker: leaves its CPU time in a file
    def g(*a, **k):
        t = time.thread_time()
        try:
            return f(*a, **k)
        finally:
            with open(os.path.join(OUT, str(os.getpid())), "w") as fh:
                fh.write(repr(time.thread_time() - t))
    return g

if hasattr(cfp, "_ExecutorManagerThread"):
    cfp._ExecutorManagerThread.run = timed("manager", cfp._ExecutorManagerThread.run)
else:  # 3.8: a function
    cfp._queue_management_worker = timed("manager", cfp._queue_management_worker)
mq.Queue._feed = staticmethod(timed("feeder", mq.Queue._feed))
cfp._process_worker = worker_timed(cfp._process_worker)

if __name__ == "__main__":
    import multiprocessing as mp
    if mp.get_start_method(allow_none=True) not in (None, "fork"):
        sys.exit("pool_threads.py times forked workers (the Linux default before 3.14)")
    mp.set_start_method("fork")
    TASKS, WORK, W, CHUNK = (int(a) for a in sys.argv[1:5])
    t = time.thread_time()
    for _ in range(TASKS):
        task(WORK)
    work = time.thread_time() - t
    t = time.perf_counter(); tt = time.thread_time()
    with ProcessPoolExecutor(max_workers=W) as ex:
        list(ex.map(task, [WORK] * TASKS, chunksize=CHUNK))
    cpu["main"] = time.thread_time() - tt
    wall = time.perf_counter() - t
    workers = sum(float(open(os.path.join(OUT, f)).read()) for f in os.listdir(OUT))
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    os.rmdir(OUT)
    m = (TASKS + CHUNK - 1) // CHUNK
    us = lambda s: round(s / m * 1e6, 1)
    print(json.dumps({"messages": m, "wall_us": us(wall), "main_us": us(cpu["main"]), "manager_us": us(cpu.get("manager", 0)),
                      "feeder_us": us(cpu.get("feeder", 0)), "worker_us": us(max(0.0, workers - work))}))
