# corpus: output
# Tuples and tuple unpacking, including swaps.
a, b = 1, 2
print(a, b)
a, b = b, a
print(a, b)
x, y, z = 1, 2, 3
x, y, z = z, x, y
print(x, y, z)
t = (4, 5, 6)
p, q, r = t
print(p, q, r, t)
pair = (a, 'two')
print(pair, len(pair), pair[1])
single = (7,)
print(single, ())
u, v = [8, 9]
print(u + v)
def minmax(xs):
    lo = xs[0]
    hi = xs[0]
    for v in xs:
        if v < lo:
            lo = v
        if v > hi:
            hi = v
    return lo, hi
lo, hi = minmax([3, 9, -2, 7])
print(lo, hi, minmax([5]))
