# corpus: output
# A multiplication table and a triangle built with nested loops.
for i in range(1, 4):
    row = []
    for j in range(1, 4):
        row.append(i * j)
    print(row)
total = 0
for i in range(10):
    for j in range(i):
        total += j
print(total)
i = 0
count = 0
while i < 5:
    j = 0
    while j < i:
        count += 1
        j += 1
    i += 1
print(count)
