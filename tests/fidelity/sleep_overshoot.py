# How late time.sleep(d) returns on this machine, for sleeps of several lengths: the timer
# slack, the wake-up, and (for long sleeps) the deeper idle state the core reached meanwhile.
# Prints {"<d in ms>": median overshoot in us, ...}. Usage: python sleep_overshoot.py [K [TOTAL_S]]
# K sleeps per length (fewer for the long ones: at most TOTAL_S seconds per length).
import json, statistics, sys, time

LENGTHS_MS = [0.1, 0.3, 1, 2, 5, 10, 20, 50, 100, 500]

if __name__ == "__main__":
    K = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    total = float(sys.argv[2]) if len(sys.argv) > 2 else 4.0
    out = {}
    for ms in LENGTHS_MS:
        d = ms / 1000.0
        k = max(3, min(K, int(total / d)))
        over = []
        for _ in range(k):
            t0 = time.perf_counter()
            time.sleep(d)
            over.append(time.perf_counter() - t0 - d)
        out[str(ms)] = round(statistics.median(over) * 1e6, 1)
    print(json.dumps(out))
