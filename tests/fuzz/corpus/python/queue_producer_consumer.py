# corpus: output
# A producer and a consumer thread connected by a queue.Queue; None ends the stream.
import threading
import queue

q = queue.Queue()
results = []

def producer(n):
    for i in range(n):
        q.put(i)
    q.put(None)

def consumer():
    total = 0
    while True:
        item = q.get()
        if item == None:
            break
        total += item
    results.append(total)

p = threading.Thread(target=producer, args=(1000,))
c = threading.Thread(target=consumer)
c.start()
p.start()
p.join()
c.join()
print(results[0], 999 * 1000 // 2)
