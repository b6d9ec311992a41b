# corpus: output
# from threading import Thread, Lock; Thread(target=f) without args.
from threading import Thread, Lock

hits = []
guard = Lock()

def job():
    for i in range(3):
        with guard:
            hits.append(i)

def single():
    with guard:
        hits.append(100)

workers = [Thread(target=job) for _ in range(3)]
for w in workers:
    w.start()
for w in workers:
    w.join()
s = Thread(target=single)
s.start()
s.join()
print(len(hits), hits[len(hits) - 1])
total = 0
for h in hits:
    total += h
print(total)
