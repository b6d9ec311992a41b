# Your program: edit it, pick a Python version, and Run.
# Try version 3.9 (a switch can land inside counter += 1), then add a Lock.
import threading

N = 1_000_000
counter = 0


def work():
    global counter
    for _ in range(N):
        counter += 1


threads = [threading.Thread(target=work) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("counter =", counter, "expected", 2 * N)
