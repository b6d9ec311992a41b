# What a threading.Lock release costs the releasing thread when another thread sleeps in acquire()
# on that lock: sem_post's futex wake (Python/thread_pthread.h, USE_SEMAPHORES), against the same
# release with nobody waiting. The waiter is given 0.5 ms to fall asleep before each timed release.
# Prints {"with_waiter_ns", "alone_ns", "wake_ns"} (medians). Usage: python lock_wake.py [K]
import json, statistics, sys, threading, time

K = int(sys.argv[1]) if len(sys.argv) > 1 else 300
L, go, done = threading.Lock(), threading.Lock(), threading.Lock()
go.acquire()
done.acquire()


def waiter():
    for _ in range(K):
        go.acquire()      # main says: block on L now
        L.acquire()       # sleeps: main holds L
        L.release()
        done.release()


th = threading.Thread(target=waiter)
th.start()
with_w, alone = [], []
for _ in range(K):
    L.acquire()
    go.release()
    time.sleep(0.0005)    # the waiter reaches L.acquire() and sleeps on it
    t = time.perf_counter_ns()
    L.release()           # wakes it
    with_w.append(time.perf_counter_ns() - t)
    done.acquire()
    L.acquire()
    t = time.perf_counter_ns()
    L.release()           # nobody waits
    alone.append(time.perf_counter_ns() - t)
th.join()
w, a = statistics.median(with_w), statistics.median(alone)
print(json.dumps({"with_waiter_ns": w, "alone_ns": a, "wake_ns": w - a}))
