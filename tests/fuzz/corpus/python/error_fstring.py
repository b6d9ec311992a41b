# error: f-strings are outside the subset
n = 3
print(f'n is {n}')
