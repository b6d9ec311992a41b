# race.counter (variant locked): every counter += 1 happens under a threading.Lock, so no update
# is lost on any version, free-threaded builds included.
import sys
import threading

N = 1_000_000                 # param: increments
T = 2                         # param: threads
sys.setswitchinterval(0.005)  # param: interval_us
# version, cores: the simulated interpreter and machine, not part of the program

counter = 0
lock = threading.Lock()

def work(n):
    global counter
    for _ in range(n):
        with lock:
            counter += 1

threads = [threading.Thread(target=work, args=(N,)) for _ in range(T)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print('expected', T * N, 'final', counter, 'lost', T * N - counter)
