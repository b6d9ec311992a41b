# pool.compare's executors as the simulator runs them: what concurrent.futures does for
# executor.map(task, range(TASKS)) with W workers, reduced to its queues and threads.
#   ThreadPoolExecutor (Lib/concurrent/futures/thread.py): submit() puts a work item on the
#   work queue; each worker thread (_worker) takes one, runs it and sets its future; map's
#   iterator in the main thread waits for the futures in order.
#   ProcessPoolExecutor (Lib/concurrent/futures/process.py): submit() hands work items
#   (chunks of CHUNK calls with map's chunksize) to the executor's manager thread in the
#   parent, which puts them on the call queue, a multiprocessing queue (pickled, through a
#   pipe) read by the worker processes (_process_worker); results come back the same way and
#   the manager thread sets the futures map's iterator waits for. The call queue holds at most
#   max_workers + 1 items, so with tiny tasks the parent and the workers take turns through
#   the pipes for every item. Here the manager's two jobs
#   are two parent threads, feeder() and collector(), joined by queues like the real ones.
#   The call queue's put() only appends to the queue's buffer and wakes its feeder thread
#   (Lib/multiprocessing/queues.py, Queue._feed), which pickles the item and writes it to the
#   pipe: a third parent thread, queue_feeder(), competing for the parent's GIL. And every
#   submit() wakes the manager through its wake-up pipe (_ThreadWakeup.wakeup()): a write in
#   the parent, and the manager's wait() and clear() of that pipe, here manager_wakeups().
# concurrent.futures' own Python per task (the Future, its Condition, the _WorkItem, the
# shutdown lock, set_result's notify) is not written out: the three functions below stand for
# it. On real CPython they do nothing; the simulator charges each call what that part costs,
# measured by tests/fidelity/pool_parts.py (pool_submit_ns, pool_worker_ns, pool_result_ns of
# the version's row in `gillab describe pool.compare`).
# The page shows pool_compare.py, the program a student writes; this file is the machinery
# underneath it, and runs on real CPython as it is (the process pool's queues are
# multiprocessing queues in the simulator: the experiment says so when it lowers the file).
import queue
import threading

W = 4                         # param: workers
TASKS = 100                   # param: tasks
WORK = 100_000                # param: work
CHUNK = 1                     # param: chunksize

work_items = queue.Queue()    # submit() -> the workers (threads) / the manager (processes)
call_buffer = queue.Queue()   # the call queue's buffer in the parent (what its put() appends to)
call_queue = queue.Queue()    # the manager -> the worker processes
result_queue = queue.Queue()  # the worker processes -> the manager
done = queue.Queue()          # finished futures, for map's iterator in the main thread
slots = queue.Queue()         # the call queue holds at most W + 1 items (EXTRA_QUEUED_CALLS = 1)
wakeups = queue.Queue()       # the manager's wake-up pipe (one message per submit())

def submit_bookkeeping():    # submit(): Future(), _WorkItem(), the shutdown lock, _adjust_thread_count()
    pass

def run_bookkeeping():       # _WorkItem.run(): set_running_or_notify_cancel(), set_result() and its notify
    pass

def result_bookkeeping():    # map's iterator: Future.result() of a finished future
    pass

def wakeup_write():          # submit(): _ThreadWakeup.wakeup(), send_bytes(b"") on the manager's pipe
    pass

def manager_wakeup():        # the manager woken by it: mp.connection.wait() returns, clear() reads the pipe
    pass

# What a process pool's message costs each thread beyond the steps written out here (the
# pipes' send_bytes and recv_bytes, the manager's selector, the queues' SemLocks, the Condition
# waits and their wake-ups), measured per thread by tests/fidelity/pool_threads.py:
def msg_main():              # the main thread, per submit() and per result() (half each)
    pass

def msg_manager():           # the manager thread, per result it collects
    pass

def msg_feeder():            # the call queue's feeder thread, per call item it writes
    pass

def msg_worker():            # a worker process, per call item it runs
    pass

# ... and once per pool, whatever its messages (the executor's construction, the forks and
# shutdown() in the main thread; the manager's and the feeder's start and joins; a worker's
# first steps after its fork), measured the same way:
def pool_fixed_main():
    pass

def pool_fixed_manager():
    pass

def pool_fixed_feeder():
    pass

def pool_fixed_worker():
    pass

def count(n):
    total = 0
    for i in range(n):
        total += i * i
    return total

def task(i):                  # the function given to executor.map
    return count(WORK)

def thread_worker():          # thread.py's _worker
    while True:
        i = work_items.get()
        if i < 0:             # the shutdown sentinel (None in CPython)
            break
        r = task(i)
        run_bookkeeping()
        done.put(r)

def thread_map(ntasks, nworkers):  # the main thread: map() submits, its iterator collects
    for i in range(ntasks):
        submit_bookkeeping()
        work_items.put(i)
    for _ in range(nworkers):
        work_items.put(-1)
    for _ in range(ntasks):
        done.get()
        result_bookkeeping()

def process_worker(chunk):    # process.py's _process_worker: one call item is a chunk of calls
    pool_fixed_worker()
    while True:
        c = call_queue.get()
        if c < 0:
            break
        for k in range(chunk):
            task(c)
        run_bookkeeping()     # the call item's result: a _ResultItem
        msg_worker()
        result_queue.put(c)

def feeder(nchunks, nworkers):  # the manager thread: work items to the call queue, while it has room
    for _ in range(nchunks):
        slots.get()
        call_buffer.put(work_items.get())
    for _ in range(nworkers):
        call_buffer.put(-1)

def queue_feeder(nworkers):   # the call queue's feeder thread: pickles each item, writes it to the pipe
    pool_fixed_feeder()
    sentinels = 0
    while sentinels < nworkers:
        c = call_buffer.get()
        msg_feeder()
        call_queue.put(c)
        if c < 0:
            sentinels += 1

def collector(nchunks):       # the manager thread: results back to their futures
    pool_fixed_manager()
    for _ in range(nchunks):
        r = result_queue.get()
        run_bookkeeping()     # the manager sets the future's result and notifies its waiter
        msg_manager()
        done.put(r)
        slots.put(1)          # a result out makes room for the next call item

def manager_wakeups(nchunks):  # the manager thread's wake-ups by submit()
    for _ in range(nchunks):
        wakeups.get()
        manager_wakeup()

def process_map(nchunks, nworkers):  # the main thread: map() submits chunks, its iterator collects
    pool_fixed_main()
    for _ in range(nworkers + 1):
        slots.put(1)
    for c in range(nchunks):
        submit_bookkeeping()  # one future per chunk (map's _get_chunks)
        msg_main()
        work_items.put(c)
        wakeup_write()
        wakeups.put(1)
    for _ in range(nchunks):
        done.get()
        result_bookkeeping()
        msg_main()

def serial(reps, n):          # the same work without a pool
    for _ in range(reps):
        count(n)

workers = [threading.Thread(target=thread_worker) for _ in range(W)]
for t in workers:
    t.start()
thread_map(TASKS, W)
for t in workers:
    t.join()
nchunks = (TASKS + CHUNK - 1) // CHUNK
manager = [threading.Thread(target=feeder, args=(nchunks, W)), threading.Thread(target=collector, args=(nchunks,)),
           threading.Thread(target=queue_feeder, args=(W,)), threading.Thread(target=manager_wakeups, args=(nchunks,))]
processes = [threading.Thread(target=process_worker, args=(CHUNK,)) for _ in range(W)]
for t in manager + processes:
    t.start()
process_map(nchunks, W)
for t in manager + processes:
    t.join()
print('ran', TASKS, 'tasks on', W, 'workers, twice')
