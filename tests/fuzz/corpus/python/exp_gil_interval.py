# gil.interval: the convoy program (a CPU-bound spin() next to an I/O-bound pinger()) for nine
# switch intervals from 0.1 to 50 ms. A short interval brings the I/O thread back sooner but
# interrupts the CPU thread more often; a long one does the opposite.
import sys
import threading
import time

IO = 0.001                    # param: io_ms
R = 100                       # param: requests
sys.setswitchinterval(0.005)  # param: interval_us
# interval_us picks the sweep point the timeline shows; the sweep below sets each interval.
# version, cores: the simulated interpreter and machine, not part of the program

INTERVALS = [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05]
stop = 0

def spin():                  # CPU-bound: never waits, holds the GIL
    n = 0
    while stop == 0:
        n += 1
    return n

def pinger(requests):        # I/O-bound: short waits, tiny work
    global stop
    for _ in range(requests):
        time.sleep(IO)       # on wake-up it needs the GIL back: how long does that take?
    stop = 1

for interval in INTERVALS:
    sys.setswitchinterval(interval)
    stop = 0
    cpu = threading.Thread(target=spin)
    io = threading.Thread(target=pinger, args=(R,))
    start = time.perf_counter()
    cpu.start()
    io.start()
    io.join()
    elapsed = time.perf_counter() - start
    cpu.join()
    print('interval', interval, 'I/O thread', elapsed)
