# error: del is outside the subset
x = 1
del x
