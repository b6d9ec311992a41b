# corpus: output
# Threads that sleep different amounts finish in sleep order.
import threading
import time

order = []
lock = threading.Lock()

def sleeper(name, delay):
    time.sleep(delay)
    with lock:
        order.append(name)

ts = [threading.Thread(target=sleeper, args=('slow', 0.3)), threading.Thread(target=sleeper, args=('fast', 0.05))]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(order)
