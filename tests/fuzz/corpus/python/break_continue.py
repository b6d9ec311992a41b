# corpus: output
# break and continue in for and while loops, nested.
odds = []
for i in range(10):
    if i % 2 == 0:
        continue
    if i > 7:
        break
    odds.append(i)
print(odds)
found = -1
for i in range(100):
    if i * i > 50:
        found = i
        break
print(found)
pairs = 0
for i in range(4):
    for j in range(4):
        if j == i:
            continue
        if j > 2:
            break
        pairs += 1
print(pairs)
n = 0
while n < 10:
    n += 1
    if n % 3 != 0:
        continue
    print(n)
