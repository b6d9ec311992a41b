# gil.convoy: an I/O thread doing many short sleeps, first alone, then next to a CPU-bound thread
# that never waits. After every wake-up the I/O thread needs the GIL back and gets it only after
# a drop request, one switch interval later: the convoy effect.
import sys
import threading
import time

IO = 0.001                    # param: io_ms
R = 200                       # param: requests
sys.setswitchinterval(0.005)  # param: interval_us
# version, cores: the simulated interpreter and machine, not part of the program

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

io = threading.Thread(target=pinger, args=(R,))
start = time.perf_counter()
io.start()
io.join()
alone = time.perf_counter() - start

stop = 0
cpu = threading.Thread(target=spin)
io = threading.Thread(target=pinger, args=(R,))
start = time.perf_counter()
cpu.start()
io.start()
io.join()
next_to_cpu = time.perf_counter() - start
cpu.join()

print('I/O thread alone      ', alone)
print('next to a CPU-bound one', next_to_cpu)
