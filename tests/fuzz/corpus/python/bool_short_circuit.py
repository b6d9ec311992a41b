# corpus: output
# and / or return one of their operands and stop early.
print(0 or 5, 3 and 0)
print(1 or 2, 0 and 2)
print(None or 'default', '' or 0)
print([] or [1], [2] and [3])
calls = []
def note(x):
    calls.append(x)
    return x
r = note(0) and note(1)
print(r, calls)
r = note(2) or note(3)
print(r, calls)
r = note(0) or note(4) and note(5)
print(r, calls)
print(not 0, not 1, not None, not [])
