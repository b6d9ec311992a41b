# corpus: output
# range with one, two and three arguments, including negative steps and empty ranges.
for i in range(5):
    print(i)
total = 0
for i in range(3, 8):
    total += i
print(total)
for i in range(10, 0, -3):
    print(i)
for i in range(0, 20, 7):
    print(i)
count = 0
for i in range(5, 5):
    count += 1
print(count)
n = 4
squares = 0
for i in range(n):
    squares += i * i
print(squares, i)
