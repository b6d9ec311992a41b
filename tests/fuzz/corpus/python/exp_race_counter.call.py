# race.counter (variant call): counter = add_one(counter). The call is a switch point between
# loading the counter and storing it back, so updates are lost on every version, GIL or not.
import sys
import threading

N = 1_000_000                 # param: increments
T = 2                         # param: threads
sys.setswitchinterval(0.005)  # param: interval_us
# version, cores: the simulated interpreter and machine, not part of the program

counter = 0

def add_one(x):
    return x + 1

def work(n):
    global counter
    for _ in range(n):
        counter = add_one(counter)   # a call between the load and the store

threads = [threading.Thread(target=work, args=(N,)) for _ in range(T)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print('expected', T * N, 'final', counter, 'lost', T * N - counter)
