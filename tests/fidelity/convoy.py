# An I/O loop (100 x sleep(1 ms)) next to a CPU-bound thread, then alone: the extra delay
# per wake-up. Prints {"median_s", "alone_median_s"}.
import json, statistics, threading, time

stop = False

def spin():
    n = 0
    while not stop:
        n += 1

def pings():
    lat = []
    for _ in range(100):
        t = time.perf_counter()
        time.sleep(0.001)
        lat.append(time.perf_counter() - t - 0.001)
    return statistics.median(lat)

th = threading.Thread(target=spin)
th.start()
time.sleep(0.05)
busy = pings()
stop = True
th.join()
print(json.dumps({"median_s": busy, "alone_median_s": pings()}))
