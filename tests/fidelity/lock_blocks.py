# `with lock: counter += 1` from T threads, counting the acquisitions that had to block.
# lock.acquire() itself first tries without blocking and only then releases the GIL and waits
# (Modules/_threadmodule.c, acquire_timed); spelling the two steps out lets the program count
# them. On 3.9 that changes little (it can switch threads after almost any instruction anyway);
# on 3.10+ the calls add check points inside the critical section (after acquire(False) and
# before release()), so a thread can be switched out holding the lock there too: the experiment
# that shows 3.9's lock penalty is that, on any version. Prints {"seconds", "blocked", "final"}.
# Usage: python lock_blocks.py T N
import json, sys, threading, time

T, N = int(sys.argv[1]), int(sys.argv[2])
lock = threading.Lock()
counter = 0
blocked = [0] * T

def work(k):
    global counter
    b = 0
    for _ in range(N):
        if not lock.acquire(False):
            b += 1
            lock.acquire()
        counter += 1
        lock.release()
    blocked[k] = b

threads = [threading.Thread(target=work, args=(k,)) for k in range(T)]
t = time.perf_counter()
for th in threads:
    th.start()
for th in threads:
    th.join()
print(json.dumps({"seconds": time.perf_counter() - t, "blocked": sum(blocked), "final": counter}))
