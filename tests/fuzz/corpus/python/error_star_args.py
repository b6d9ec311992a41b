# error: star-args in a call are outside the subset
def add(a, b):
    return a + b
xs = [1, 2]
print(add(*xs))
