# ft.scaling (objects private): throughput of list.append for 1, 2, 4, ... up to MAX_T threads on a
# free-threaded build (no GIL), each thread appends to its own list: no coordination, so throughput grows
# with threads up to the number of cores (and stays flat with the GIL).
import threading
import time

N = 100_000                   # param: appends
MAX_T = 8                     # param: threads
# version (default 3.13t; the same program also runs with the GIL for comparison), cores (default 8):
# the simulated interpreter and machine, not part of the program

def work(n):
    mine = []
    for i in range(n):
        mine.append(i)        # a private list per thread

counts = []
T = 1
while T < MAX_T:
    counts.append(T)
    T *= 2
counts.append(MAX_T)

for T in counts:
    threads = [threading.Thread(target=work, args=(N,)) for _ in range(T)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    print(T, 'threads:', elapsed, 's for', T * N, 'appends')
