# corpus: output
# Floor division and modulo round toward negative infinity, for ints and floats.
a = -7
b = 2
print(a // b, a % b)
print(7 // -2, 7 % -2)
print(-7 // -2, -7 % -2)
n = -1
print(n // 10, n % 10)
f = -7.5
print(f // 2, f % 2)
print(7.5 // -2, 7.5 % -2)
print(0 // 5, 0 % 5)
big = -10 ** 20
print(big // 3, big % 3)
