# corpus: output
# Augmented assignment on locals and globals, ints, floats and lists.
g = 10
def local_ops():
    x = 1
    x += 2
    x *= 5
    x -= 3
    return x
def global_ops():
    global g
    g += 5
    g *= 2
    g -= 1
local_ops()
global_ops()
print(local_ops(), g)
f = 0.5
f += 0.25
f *= 4
print(f)
xs = [1]
xs += [2]
xs *= 2
print(xs)
s = 'ab'
s += 'cd'
s *= 2
print(s)
