# corpus: output
# sys.setswitchinterval changes how often threads are asked to give up the GIL; with a lock the result is the same.
import sys
import threading

sys.setswitchinterval(0.0001)
total = 0
lock = threading.Lock()

def add(n):
    global total
    for _ in range(n):
        with lock:
            total += 2

ts = [threading.Thread(target=add, args=(5000,)) for _ in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
sys.setswitchinterval(0.005)
print(total)
