# corpus: output 3.10+
# Two threads each add to a global counter and to their own list slot: the totals are exact with 3.10+'s GIL.
import threading

counter = 0
slots = [0, 0]

def work(k, n):
    global counter
    for _ in range(n):
        counter += 1
    slots[k] = n

t1 = threading.Thread(target=work, args=(0, 300_000))
t2 = threading.Thread(target=work, args=(1, 300_000))
t1.start()
t2.start()
t1.join()
t2.join()
print(counter, slots)
