# error: dict displays are outside the subset
d = {'a': 1, 'b': 2}
print(d)
