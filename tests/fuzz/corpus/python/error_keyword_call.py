# error: keyword arguments to a user function are outside the subset
def f(a, b):
    return a - b
print(f(b=1, a=2))
