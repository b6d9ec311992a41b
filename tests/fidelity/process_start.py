# Start and join an empty process K times with one start method: the first start (which for
# forkserver also starts the server) and the median of the later ones.
# Prints {"first_s", "later_median_s"}. Usage: python process_start.py METHOD K
import json, statistics, sys, time
from multiprocessing import get_context

def nothing():
    pass

if __name__ == "__main__":
    method, K = sys.argv[1], int(sys.argv[2])
    ctx = get_context(method)
    times = []
    for _ in range(K):
        t = time.perf_counter()
        p = ctx.Process(target=nothing)
        p.start()
        p.join()
        times.append(time.perf_counter() - t)
    print(json.dumps({"first_s": times[0], "later_median_s": statistics.median(times[1:])}))
