# error: assert is outside the subset
x = 1
assert x == 1
print(x)
