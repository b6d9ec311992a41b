# async.io: C clients each doing R requests (a wait, then a little Python work), three ways:
# serially, one thread per client, and as C asyncio tasks in one thread. A task gives up control
# only at await, so there is no preemption and no GIL hand-off between tasks, and the waits
# overlap just as with threads.
import asyncio
import threading
import time

C = 10                        # param: clients
R = 5                         # param: requests
IO = 0.1                      # param: io_ms
W = 10_000                    # param: cpu_per_request
# version, cores: the simulated interpreter and machine, not part of the program

def count(n):
    total = 0
    for i in range(n):
        total += i * i
    return total

async def client(requests, work):     # asyncio: one thread, switches only at await
    for _ in range(requests):
        await asyncio.sleep(IO)
        count(work)

def client_thread(requests, work):    # threads: the OS and the GIL switch them
    for _ in range(requests):
        time.sleep(IO)
        count(work)

def serial(reps, requests, work):
    for _ in range(reps):
        client_thread(requests, work)

async def clients(c, requests, work):
    # c clients at once without star-args: this client, gathered with the other c - 1
    if c == 1:
        await asyncio.gather(client(requests, work))
    else:
        await asyncio.gather(client(requests, work), clients(c - 1, requests, work))

start = time.perf_counter()
serial(C, R, W)
serial_time = time.perf_counter() - start

threads = [threading.Thread(target=client_thread, args=(R, W)) for _ in range(C)]
start = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
threads_time = time.perf_counter() - start

start = time.perf_counter()
asyncio.run(clients(C, R, W))
asyncio_time = time.perf_counter() - start

print('serial ', serial_time)
print('threads', threads_time)
print('asyncio', asyncio_time)
