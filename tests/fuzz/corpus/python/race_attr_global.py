# corpus: output 3.10+
# box.value += 1 on a shared object from 3 threads, no lock: exact with 3.10+'s GIL.
import threading

class Box:
    def __init__(self):
        self.value = 0

box = Box()

def work(n):
    for _ in range(n):
        box.value += 1

ts = [threading.Thread(target=work, args=(200_000,)) for _ in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(box.value)
