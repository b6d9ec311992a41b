# corpus: output
# submit() returns futures; result() waits for each one.
from concurrent.futures import ThreadPoolExecutor

def add(a, b):
    return a + b

def total_upto(n):
    s = 0
    for i in range(n):
        s += i
    return s

with ThreadPoolExecutor(max_workers=4) as ex:
    futures = [ex.submit(total_upto, n) for n in range(0, 5000, 1000)]
    f = ex.submit(add, 2, 3)
    print(f.result())
    for fut in futures:
        print(fut.result())
