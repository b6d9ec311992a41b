# corpus: output
# Lists: display, append, len, index read and write, negative index.
xs = [3, 1, 4]
xs.append(1)
xs.append(5)
print(xs, len(xs))
print(xs[0], xs[4], xs[-1])
xs[1] = 10
print(xs)
i = 2
xs[i] = xs[i] + xs[i - 1]
print(xs)
empty = []
print(empty, len(empty))
mixed = [1, 'two', 3.0, None, True]
print(mixed)
total = 0
for v in xs:
    total += v
print(total)
