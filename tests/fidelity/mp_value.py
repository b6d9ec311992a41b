# P processes each doing N times `x.value += 1` on one multiprocessing.Value: the get and
# the set each take the Value's own lock, but not together, so updates are lost.
# Prints {"final"}. Usage: python mp_value.py P N
import json, sys
from multiprocessing import Process, Value

def work(x, n):
    for _ in range(n):
        x.value += 1

if __name__ == "__main__":
    P, N = int(sys.argv[1]), int(sys.argv[2])
    x = Value("i", 0)
    procs = [Process(target=work, args=(x, N)) for _ in range(P)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print(json.dumps({"final": x.value}))
