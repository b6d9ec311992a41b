# corpus: output
# lock.acquire() / lock.release() around a read-modify-write, and results collected in a list.
import threading

balance = 0
lock = threading.Lock()
done = []

def deposit(times, amount):
    global balance
    for _ in range(times):
        lock.acquire()
        balance = balance + amount
        lock.release()
    lock.acquire()
    done.append(amount)
    lock.release()

t1 = threading.Thread(target=deposit, args=(5000, 1))
t2 = threading.Thread(target=deposit, args=(5000, 2))
t1.start()
t2.start()
t1.join()
t2.join()
print(balance, len(done))
