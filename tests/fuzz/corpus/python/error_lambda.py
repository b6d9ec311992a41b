# error: lambda is outside the subset
square = lambda x: x * x
print(square(3))
