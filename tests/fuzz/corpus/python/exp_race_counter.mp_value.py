# race.counter (variant mp_value): T processes share a multiprocessing.Value. x.value's get and
# set each take the Value's lock, but not together, and the processes run in parallel (one GIL
# each): updates are lost.
from multiprocessing import Process, Value

N = 1_000_000                 # param: increments
T = 2                         # param: threads
# interval_us, version, cores: the simulated interpreters and machine, not part of the program

def work(x, n):
    for _ in range(n):
        x.value += 1      # get and set each lock, but not together

x = Value('i', 0)
procs = [Process(target=work, args=(x, N)) for _ in range(T)]
for p in procs:
    p.start()
for p in procs:
    p.join()
print('expected', T * N, 'final', x.value, 'lost', T * N - x.value)
