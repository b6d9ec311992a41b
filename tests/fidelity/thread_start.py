# Thread.start() in a fresh process, where each new thread needs a stack: the first start of
# the process, then 7 more while the earlier threads are still alive (each waits on an Event),
# then, after those 8 have ended, 8 starts that reuse their stacks (glibc keeps the stacks of
# ended threads for reuse: nptl/allocatestack.c). Run it as its own process each time.
# Prints {"first_ns", "fresh_ns", "reused_ns"}: the first start, the median of the 7 others,
# the median of the 8 reusing. Usage: python thread_start.py
import json, statistics, threading, time


def starts(n, ev):
    ts = []
    threads = [threading.Thread(target=ev.wait) for _ in range(n)]
    for th in threads:
        t0 = time.perf_counter_ns()
        th.start()
        ts.append(time.perf_counter_ns() - t0)
    ev.set()
    for th in threads:
        th.join()
    return ts


if __name__ == "__main__":
    fresh = starts(8, threading.Event())
    time.sleep(0.01)  # let the ended threads' stacks go back to glibc's cache
    reused = starts(8, threading.Event())
    print(json.dumps({"first_ns": fresh[0], "fresh_ns": statistics.median(fresh[1:]),
                      "reused_ns": statistics.median(reused)}))
