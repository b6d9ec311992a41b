# T threads each doing N increments of a global, as `variant`: inplace (counter += 1),
# call (counter = add_one(counter)), locked (with lock: counter += 1).
# Prints {"final", "seconds"}. Usage: python race.py VARIANT T N
import json, sys, threading, time

variant, T, N = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
counter = 0
lock = threading.Lock()

def add_one(x):
    return x + 1

def inplace(n):
    global counter
    for _ in range(n):
        counter += 1

def call(n):
    global counter
    for _ in range(n):
        counter = add_one(counter)

def locked(n):
    global counter
    for _ in range(n):
        with lock:
            counter += 1

work = {"inplace": inplace, "call": call, "locked": locked}[variant]
threads = [threading.Thread(target=work, args=(N,)) for _ in range(T)]
t = time.perf_counter()
for th in threads:
    th.start()
for th in threads:
    th.join()
print(json.dumps({"final": counter, "seconds": time.perf_counter() - t}))
