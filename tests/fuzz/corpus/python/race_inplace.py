# corpus: output 3.10+
# 4 threads x 200_000 counter += 1 without a lock: exact with 3.10+'s GIL (switches only at
# calls, function entry and loop back-edges), not on 3.9.
import threading

counter = 0

def work(n):
    global counter
    for _ in range(n):
        counter += 1

threads = [threading.Thread(target=work, args=(200_000,)) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counter)
