# race.counter (variant inplace): T threads each run counter += 1 N times with no lock.
# counter += 1 is LOAD_GLOBAL, add, STORE_GLOBAL: on 3.9 a thread can be switched out in between
# and updates are lost; on 3.10-3.13 with the GIL the switch points (calls, RESUME, JUMP_BACKWARD)
# never fall inside it, so the total is exact there, but the code is still not thread-safe.
import sys
import threading

N = 1_000_000                 # param: increments
T = 2                         # param: threads
sys.setswitchinterval(0.005)  # param: interval_us
# version, cores: the simulated interpreter and machine, not part of the program

counter = 0

def work(n):
    global counter
    for _ in range(n):
        counter += 1      # LOAD_GLOBAL, add, STORE_GLOBAL

threads = [threading.Thread(target=work, args=(N,)) for _ in range(T)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print('expected', T * N, 'final', counter, 'lost', T * N - counter)
