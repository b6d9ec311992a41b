# race.counter (variant mp_value_locked): the processes take a multiprocessing.Lock around
# x.value += 1, so the shared total is exact.
from multiprocessing import Process, Value, Lock

N = 1_000_000                 # param: increments
T = 2                         # param: threads
# interval_us, version, cores: the simulated interpreters and machine, not part of the program

def work(x, lock, n):
    for _ in range(n):
        with lock:
            x.value += 1

x, lock = Value('i', 0), Lock()
procs = [Process(target=work, args=(x, lock, N)) for _ in range(T)]
for p in procs:
    p.start()
for p in procs:
    p.join()
print('expected', T * N, 'final', x.value, 'lost', T * N - x.value)
