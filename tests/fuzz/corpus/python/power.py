# corpus: output
# Exponentiation: right-associative, binds tighter than unary minus, big results.
print(2 ** 10, 2 ** 3 ** 2, -2 ** 2)
print(2 ** 70)
print(2 ** 63, 2 ** 64 - 1)
base = 3
e = 40
print(base ** e)
print(2 ** -1, 10 ** -2)
print(2.0 ** 10, 4 ** 0.5)
x = 7
print(x ** 0, x ** 1, (-x) ** 3)
