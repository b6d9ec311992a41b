# corpus: output
# ThreadPoolExecutor.map returns the results in the order of the inputs.
import concurrent.futures

def cube(x):
    total = 0
    for _ in range(1000):
        total += 1
    return x * x * x + total

xs = [1, 2, 3, 4, 5, 6]
with concurrent.futures.ThreadPoolExecutor(max_workers=3) as ex:
    results = ex.map(cube, xs)
    out = [r for r in results]
print(out)
