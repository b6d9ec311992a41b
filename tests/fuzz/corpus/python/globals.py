# corpus: output
# Module globals read in functions and changed with global.
count = 0
limit = 3
total = 0.5

def bump():
    global count
    count += 1
    return count

def reset(to):
    global count, total
    count = to
    total = total * 2

def over():
    return count > limit

bump()
bump()
print(count, over())
reset(10)
print(count, over(), total)
print(bump(), count)
