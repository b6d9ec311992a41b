# corpus: output
# The longest Collatz chain below 1000.
def steps(n):
    s = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        s += 1
    return s

best = 0
best_n = 0
for n in range(1, 1000):
    s = steps(n)
    if s > best:
        best = s
        best_n = n
print(best_n, best)
