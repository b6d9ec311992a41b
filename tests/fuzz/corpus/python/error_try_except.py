# error: try/except is outside the subset
x = 0
try:
    x = 1 // 0
except ZeroDivisionError:
    x = -1
print(x)
