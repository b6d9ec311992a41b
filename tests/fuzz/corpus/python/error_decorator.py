# error: decorators are outside the subset
def deco(f):
    return f
@deco
def g():
    return 1
print(g())
