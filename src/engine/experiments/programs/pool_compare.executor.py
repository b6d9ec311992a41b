# pool.compare's executors as the simulator runs them: what concurrent.futures does for
# executor.map(task, range(TASKS)) with W workers, reduced to its two queues. In CPython,
# Lib/concurrent/futures/thread.py's _worker loops on a work queue and runs each work item;
# Lib/concurrent/futures/process.py does the same in each worker process, with every call
# and every result pickled through a pipe (call_queue and result_queue are then
# multiprocessing queues: the experiment says so when it lowers this file for the process
# pool). The page shows pool_compare.py, the program a student writes; this file is the
# machinery underneath it, and runs on real CPython as it is.
import queue
import threading

W = 4                         # param: workers
TASKS = 100                   # param: tasks
WORK = 100_000                # param: work

call_queue = queue.Queue()    # work items, in submission order
result_queue = queue.Queue()  # results, back to the parent

def count(n):
    total = 0
    for i in range(n):
        total += i * i
    return total

def task(i):                  # the function given to executor.map
    return count(WORK)

def pool_worker():            # _worker (threads) / _process_worker (processes)
    while True:
        i = call_queue.get()
        if i < 0:             # the shutdown sentinel (None in CPython)
            break
        result_queue.put(task(i))

def submitter(ntasks, nworkers):  # the parent: executor.map submits, the for loop collects
    for i in range(ntasks):
        call_queue.put(i)
    for _ in range(nworkers):
        call_queue.put(-1)
    for _ in range(ntasks):
        result_queue.get()

def serial(reps, n):          # the same work without a pool
    for _ in range(reps):
        count(n)

workers = [threading.Thread(target=pool_worker) for _ in range(W)]
for t in workers:
    t.start()
submitter(TASKS, W)
for t in workers:
    t.join()
print('ran', TASKS, 'tasks on', W, 'workers')
