# race.wakeup (variant flag): a consumer goes to sleep until a producer wakes it. It tests a
# flag (ready), then says it sleeps (sleeping = 1) and waits on a lock the producer releases to
# wake it; the producer sets ready, then wakes the consumer only if it sleeps. A switch between
# the consumer's test and its "sleeping = 1" lets the producer look too early: the wake-up is
# lost and the consumer sleeps forever.
import threading
import time

WORK = 0.001                  # param: work_ms
# version: the simulated interpreter, not part of the program

ready = 0
sleeping = 0
wakeup = threading.Lock()
wakeup.acquire()              # taken: the consumer blocks on it until the producer lets go

def consumer():
    global sleeping
    if ready == 0:            # nothing there yet ...
        sleeping = 1          # ... so say so and sleep
        wakeup.acquire()

def producer():
    global ready
    time.sleep(WORK)          # make the item
    ready = 1
    if sleeping == 1:         # wake the consumer only if it sleeps
        wakeup.release()

c = threading.Thread(target=consumer)
p = threading.Thread(target=producer)
c.start()
p.start()
c.join()
p.join()
print('the consumer woke up')
