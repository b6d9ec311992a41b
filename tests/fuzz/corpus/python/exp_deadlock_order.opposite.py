# deadlock.order (order opposite): two threads, two locks. first() takes a then b; second()
# takes b then a: if each thread gets its first lock before the other reaches its second, both wait forever.
import threading
import time

HOLD = 0.001                  # param: hold_ms
# version: the simulated interpreter, not part of the program

a, b = threading.Lock(), threading.Lock()

def first():
    with a:
        time.sleep(HOLD)     # hold a while doing something
        with b:
            pass

def second():
    with b:
        time.sleep(HOLD)
        with a:
            pass

t1 = threading.Thread(target=first)
t2 = threading.Thread(target=second)
t1.start()
t2.start()
t1.join()
t2.join()
print('both threads finished')
