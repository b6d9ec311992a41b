# corpus: output
# Functions calling functions, results passed along.
def square(x):
    return x * x

def add(a, b):
    return a + b

def hypot2(a, b):
    return add(square(a), square(b))

def apply_twice(x):
    return square(square(x))

def noop():
    pass

print(hypot2(3, 4))
print(apply_twice(3))
print(add(add(1, 2), add(3, 4)))
print(noop())
r = hypot2(square(2), add(1, 1))
print(r)
