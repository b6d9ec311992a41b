# corpus: output
# ProcessPoolExecutor: the same API as the thread pool, the work runs in other processes.
import concurrent.futures

def count(n):
    total = 0
    for i in range(n):
        total += i * i
    return total

with concurrent.futures.ProcessPoolExecutor(max_workers=2) as ex:
    fut = ex.submit(count, 1000)
    results = ex.map(count, [1, 2, 3, 4])
    print(fut.result())
    print([r for r in results])
