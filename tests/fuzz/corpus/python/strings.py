# corpus: output
# String constants with escapes, printed directly and inside containers.
print('hello, world')
print("double quoted")
print('tab\there')
print('line one\nline two')
print('back\\slash', 'it\'s', "say \"hi\"")
s = 'abc'
t = "abc"
print(s == t, s + t, len(s))
print([s, 'x\ty'], ('q',))
print('')
print('a', 'b', 'c')
