# gil.io: T threads each wait on I/O (time.sleep stands for a network or disk wait) and then do
# a little Python work. A blocking call releases the GIL, so the waits overlap and the threads
# finish close to T times faster than doing every wait in a row.
import sys
import threading
import time

IO = 0.5                      # param: io_ms
R = 1                         # param: requests
W = 10_000                    # param: cpu_per_request
T = 4                         # param: threads
sys.setswitchinterval(0.005)  # param: interval_us
# version, cores: the simulated interpreter and machine, not part of the program

def count(n):
    total = 0
    for i in range(n):
        total += i * i
    return total

def io_task(requests, work):
    for _ in range(requests):
        time.sleep(IO)        # stands for a network or disk wait: the GIL is released
        count(work)           # handle the answer: a loop of Python

def serial(reps, requests, work):
    for _ in range(reps):
        io_task(requests, work)

start = time.perf_counter()
serial(T, R, W)
serial_time = time.perf_counter() - start

threads = [threading.Thread(target=io_task, args=(R, W)) for _ in range(T)]
start = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
threads_time = time.perf_counter() - start

print('serial ', serial_time)
print('threads', threads_time)
