# error: % string formatting is outside the subset
n = 3
print('n = %d' % n)
