# corpus: output
# What counts as false: None, 0, 0.0, '', [], (), False.
values = [None, 0, 0.0, '', [], (), False, 1, -1, 0.5, 'a', [0], (0,), True]
for v in values:
    if v:
        print(v, 'is true')
    else:
        print(v, 'is false')
n = 0
while not n:
    n = n + 1
print(n)
