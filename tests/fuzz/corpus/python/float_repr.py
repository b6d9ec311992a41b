# corpus: output
# How floats print: shortest repr, exponents, integral floats.
print(0.1 + 0.2)
print(1e16, 1e15, 123456789012345678.0)
print(2.0, -2.0, 0.5, 1.25)
print(1e-7, 0.0001, 1e-05)
print(3 * 0.1, 0.1 * 3)
x = 1.5
y = 2
print(x * y, x + y, x - y)
print(x ** 2, y * 1.0)
print(1e300 * 1e10)
print(-0.0, 0.0 == -0.0)
print(2.5 // 1, 2.5 % 1)
