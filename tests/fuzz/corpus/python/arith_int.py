# corpus: output
# Integer arithmetic: + - * // % ** and unary minus, with variables so nothing is folded.
a = 17
b = 5
print(a + b, a - b, a * b)
print(a // b, a % b, a ** 2)
print(-a, -(-a), -a + b)
c = a * b - a // b + a % b
print(c)
x = 3
x = x * x + 2 * x + 1
print(x)
print(1_000_000 + 1, 1_000_000 * 3)
