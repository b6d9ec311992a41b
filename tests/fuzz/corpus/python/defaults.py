# corpus: output
# Positional parameters with default values.
def greet(name, greeting='hello', times=1):
    for _ in range(times):
        print(greeting, name)

def area(w, h=None):
    if h == None:
        h = w
    return w * h

def step(x, by=1):
    return x + by

greet('ada')
greet('bob', 'hi')
greet('cy', 'hey', 2)
print(area(3), area(3, 4))
print(step(1), step(1, 10), step(step(2)))
