# corpus: output
# An RLock can be taken again by the thread that holds it.
import threading

rlock = threading.RLock()
log = []

def inner(x):
    with rlock:
        log.append(x)

def outer(n):
    for i in range(n):
        with rlock:
            inner(i)

t = threading.Thread(target=outer, args=(5,))
t.start()
t.join()
rlock.acquire()
rlock.acquire()
log.append(99)
rlock.release()
rlock.release()
print(log)
