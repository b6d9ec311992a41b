# The process pool's manager wake-up per submit() (Lib/concurrent/futures/process.py): submit()
# calls _ThreadWakeup.wakeup(), a send_bytes(b"") on a pipe (os.write, the GIL released); the
# manager thread, in mp.connection.wait() on that pipe, wakes and clear()s it (poll() and
# recv_bytes() until empty) before looking for call items to queue. Times both sides, in one
# thread, best of 5 over K rounds: {"write_ns", "wake_ns"} per round.
# Usage: python pool_wakeup.py [K]
import json, multiprocessing.connection as mpc, sys, time
from multiprocessing import Pipe

K = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
r, w = Pipe(duplex=False)
best_w = best_m = 1e18
for _ in range(5):
    t = time.perf_counter_ns()
    for _ in range(K):
        w.send_bytes(b"")
    best_w = min(best_w, (time.perf_counter_ns() - t) / K)
    t = time.perf_counter_ns()
    for _ in range(K):
        mpc.wait([r])                     # ready: returns at once
        r.recv_bytes()                    # clear(): one message
        r.poll()
    best_m = min(best_m, (time.perf_counter_ns() - t) / K)
print(json.dumps({"write_ns": best_w, "wake_ns": best_m}))
