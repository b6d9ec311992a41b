# corpus: output
# while loops: counting down, summing, a search that stops with break.
n = 10
total = 0
while n > 0:
    total += n
    n -= 1
print(total, n)
i = 1
while i < 1000:
    i = i * 2
print(i)
k = 0
while True:
    k += 3
    if k > 20:
        break
print(k)
x = 100
steps = 0
while x != 1:
    if x % 2 == 0:
        x = x // 2
    else:
        x = 3 * x + 1
    steps += 1
print(steps)
