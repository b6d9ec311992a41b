# race.check_act (variant locked): the test and the withdrawal happen under one threading.Lock,
# so no thread acts on a test another thread has made stale: the balance never goes below zero.
import sys
import threading

BALANCE = 100_000             # param: balance
AMOUNT = 1                    # param: amount
N = 100_000                   # param: withdrawals
T = 2                         # param: threads
sys.setswitchinterval(0.005)  # param: interval_us
# version, cores: the simulated interpreter and machine, not part of the program

balance = BALANCE
lock = threading.Lock()

def withdraw(n):
    global balance
    for _ in range(n):
        with lock:
            if balance >= AMOUNT:
                balance -= AMOUNT

threads = [threading.Thread(target=withdraw, args=(N,)) for _ in range(T)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print('balance', balance)
