# Four 0.5 s sleeps one after another, then in four threads. Prints {"serial_s", "threads_s"}.
import json, threading, time

def io():
    time.sleep(0.5)

t = time.perf_counter()
for _ in range(4):
    io()
serial = time.perf_counter() - t
threads = [threading.Thread(target=io) for _ in range(4)]
t = time.perf_counter()
for th in threads:
    th.start()
for th in threads:
    th.join()
print(json.dumps({"serial_s": serial, "threads_s": time.perf_counter() - t}))
