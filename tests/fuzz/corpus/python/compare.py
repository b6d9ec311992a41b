# corpus: output
# Comparison operators on ints, floats, bools, strings and lists.
a = 3
b = 5
print(a < b, a <= b, a > b, a >= b, a == b, a != b)
print(a == 3.0, 1 == True, 0 == False)
print('abc' < 'abd', 'b' > 'abc', 'x' == 'x')
print([1, 2] == [1, 2], [1, 2] < [1, 3], (1, 2) != (1, 2))
print(2 ** 70 > 2 ** 63, -1 < 0.5)
c = a < b
print(c, not c)
