# race.lock_cost: the same T x N increments without and with a threading.Lock, timed. The lock
# makes every increment safe; each acquire and release costs time, and a thread that finds the
# lock taken releases the GIL and sleeps until the holder lets go.
import sys
import threading
import time

N = 1_000_000                 # param: increments
T = 2                         # param: threads
sys.setswitchinterval(0.005)  # param: interval_us
# version, cores: the simulated interpreter and machine, not part of the program

counter = 0
lock = threading.Lock()

def work(n):
    global counter
    for _ in range(n):
        counter += 1

def work_locked(n):
    global counter
    for _ in range(n):
        with lock:
            counter += 1

threads = [threading.Thread(target=work, args=(N,)) for _ in range(T)]
start = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
unlocked = time.perf_counter() - start
unlocked_lost = T * N - counter

counter = 0
threads = [threading.Thread(target=work_locked, args=(N,)) for _ in range(T)]
start = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
locked = time.perf_counter() - start
locked_lost = T * N - counter

print('no lock:  ', unlocked, 's, lost', unlocked_lost)
print('with lock:', locked, 's, lost', locked_lost)
