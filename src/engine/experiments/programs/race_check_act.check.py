# race.check_act (variant check): T threads withdraw from one balance, each testing first that
# the money is there. The test and the withdrawal are separate steps: a thread switched out
# between them withdraws money another thread has already taken, and the balance goes below zero.
import sys
import threading

BALANCE = 100_000             # param: balance
AMOUNT = 1                    # param: amount
N = 100_000                   # param: withdrawals
T = 2                         # param: threads
sys.setswitchinterval(0.005)  # param: interval_us
# version, cores: the simulated interpreter and machine, not part of the program

balance = BALANCE

def withdraw(n):
    global balance
    for _ in range(n):
        if balance >= AMOUNT:     # check ...
            balance -= AMOUNT     # ... then act: another thread may have acted in between

threads = [threading.Thread(target=withdraw, args=(N,)) for _ in range(T)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print('balance', balance)
