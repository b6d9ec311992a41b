# deadlock.order (order same): two threads, two locks. first() takes a then b; second()
# takes a then b too: one global order, so whoever gets a also gets b and there is no cycle.
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
    with a:
        time.sleep(HOLD)
        with b:
            pass

t1 = threading.Thread(target=first)
t2 = threading.Thread(target=second)
t1.start()
t2.start()
t1.join()
t2.join()
print('both threads finished')
