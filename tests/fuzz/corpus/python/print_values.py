# corpus: output
# print of every kind of value the subset has.
print(None, True, False)
print(1, -1, 0, 10 ** 30)
print(1.0, 0.1, -2.5, 1e22)
print([1, [2, 3], []], (1, (2,), ()))
print([None, True, 'x'], ('a', 1.5))
print([0.1 + 0.2, 2.0])
print()
print(print('inner'))
