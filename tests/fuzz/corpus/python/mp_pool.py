# corpus: output
# multiprocessing.Pool.map spreads the calls over worker processes; results keep their order.
import multiprocessing

def count(n):
    total = 0
    for i in range(n):
        total += i * i
    return total

with multiprocessing.Pool(processes=2) as pool:
    results = pool.map(count, [10, 100, 1000])
print(results)
