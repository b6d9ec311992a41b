# error: nested def with nonlocal (closures) is outside the subset
def outer():
    n = 0
    def inner():
        nonlocal n
        n += 1
    inner()
    return n
print(outer())
