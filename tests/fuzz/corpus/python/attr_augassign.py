# corpus: output
# Augmented assignment to attributes: += -= *= on obj.attr and x.value.
class Box:
    def __init__(self):
        self.value = 1
        self.items = []

x = Box()
x.value += 4
x.value *= 3
x.value -= 2
print(x.value)
y = Box()
y.value = x.value
y.value *= y.value
print(y.value, x.value)
x.items += [1, 2]
x.items.append(3)
print(x.items)
n = 5
n *= 2
n -= 1
print(n)
