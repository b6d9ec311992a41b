# corpus: output
# Bubble sort and a linear search on a list.
def bubble(xs):
    n = len(xs)
    for i in range(n):
        swapped = False
        for j in range(n - 1 - i):
            if xs[j] > xs[j + 1]:
                xs[j], xs[j + 1] = xs[j + 1], xs[j]
                swapped = True
        if not swapped:
            break
    return xs

def index_of(xs, v):
    for i in range(len(xs)):
        if xs[i] == v:
            return i
    return -1

data = [5, 2, 9, 1, 5, 6, -3]
print(bubble(data))
print(index_of(data, 9), index_of(data, 4))
print(bubble([]), bubble([1]))
