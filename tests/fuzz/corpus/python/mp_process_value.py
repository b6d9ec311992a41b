# corpus: output
# Processes add to a multiprocessing.Value under a multiprocessing.Lock: the total is exact.
import multiprocessing

def work(x, lock, n):
    for _ in range(n):
        with lock:
            x.value += 1

x = multiprocessing.Value('i', 0)
lock = multiprocessing.Lock()
procs = [multiprocessing.Process(target=work, args=(x, lock, 2000)) for _ in range(3)]
for p in procs:
    p.start()
for p in procs:
    p.join()
print(x.value)
