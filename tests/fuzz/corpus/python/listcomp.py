# corpus: output
# List comprehensions, with and without a condition.
squares = [i * i for i in range(8)]
print(squares)
evens = [i for i in range(20) if i % 2 == 0]
print(evens)
words = ['a', 'bb', 'ccc']
print([len(w) for w in words])
big = [s for s in squares if s > 10]
print(big)
k = 3
print([x * k for x in [1, 2, 3]])
nested = [[j for j in range(i)] for i in range(4)]
print(nested)
print(len([0 for _ in range(1000)]))
