# error: the walrus operator := is outside the subset
xs = [1, 2, 3]
if (n := len(xs)) > 2:
    print(n)
