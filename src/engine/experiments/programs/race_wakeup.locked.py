# race.wakeup (variant locked): the consumer's test and its "sleeping = 1", and the producer's
# "ready = 1" and its test, each happen under one lock (guard), so the producer never looks
# between the consumer's test and its going to sleep: no wake-up is lost. (This is what
# threading.Condition does for you: wait() releases the lock and sleeps in one step.)
import threading
import time

WORK = 0.001                  # param: work_ms
# version: the simulated interpreter, not part of the program

ready = 0
sleeping = 0
guard = threading.Lock()
wakeup = threading.Lock()
wakeup.acquire()              # taken: the consumer blocks on it until the producer lets go

def consumer():
    global sleeping
    guard.acquire()
    if ready == 0:
        sleeping = 1
        guard.release()
        wakeup.acquire()      # if the producer already let go, this does not block
    else:
        guard.release()

def producer():
    global ready
    time.sleep(WORK)
    with guard:
        ready = 1
        if sleeping == 1:
            wakeup.release()

c = threading.Thread(target=consumer)
p = threading.Thread(target=producer)
c.start()
p.start()
c.join()
p.join()
print('the consumer woke up')
