# corpus: output 3.10+
# self.count += 1 inside a method, called from 4 threads: exact with 3.10+'s GIL.
import threading

class Counter:
    def __init__(self):
        self.count = 0

    def run(self, n):
        for _ in range(n):
            self.count += 1

c = Counter()
threads = [threading.Thread(target=c.run, args=(200_000,)) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(c.count)
