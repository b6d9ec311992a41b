# What module code's thread calls cost on this CPython: threading.Thread(target=f, args=())
# made, start() until it returns (the new thread has run its bootstrap), join() of a thread
# that has finished, and time.perf_counter(). Medians over K calls (perf_counter: 10 K).
# Prints {"new_ns", "start_ns", "join_ns", "perf_counter_ns"}. Usage: python thread_objects.py [K]
# The simulator's costs for THREAD_NEW, THREAD_JOIN and PERF_COUNTER (src/engine/sim/profile.cpp,
# module_costs) are these medians, measured with CPython 3.9-3.13 here.
import json, statistics, sys, threading, time

def f():
    pass

def median_ns(fn, k):
    ts = []
    for _ in range(k):
        t0 = time.perf_counter_ns()
        fn()
        ts.append(time.perf_counter_ns() - t0)
    return statistics.median(ts)

if __name__ == "__main__":
    K = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    new = median_ns(lambda: threading.Thread(target=f, args=()), K)
    starts, joins = [], []
    for _ in range(K):
        t = threading.Thread(target=f)
        t0 = time.perf_counter_ns()
        t.start()
        t1 = time.perf_counter_ns()
        time.sleep(0.0002)  # let it finish: join() of a finished thread
        t2 = time.perf_counter_ns()
        t.join()
        starts.append(t1 - t0)
        joins.append(time.perf_counter_ns() - t2)
    pc = median_ns(time.perf_counter, 10 * K)
    print(json.dumps({"new_ns": new, "start_ns": statistics.median(starts), "join_ns": statistics.median(joins),
                      "perf_counter_ns": pc}))
