# error: yield (generators) is outside the subset
def gen(n):
    for i in range(n):
        yield i
print(gen(3))
