# corpus: output
# if / elif / else chains: fizzbuzz and a grade table.
for i in range(1, 16):
    if i % 15 == 0:
        print('FizzBuzz')
    elif i % 3 == 0:
        print('Fizz')
    elif i % 5 == 0:
        print('Buzz')
    else:
        print(i)
def grade(score):
    if score >= 90:
        return 'A'
    elif score >= 80:
        return 'B'
    elif score >= 70:
        return 'C'
    return 'F'
print(grade(95), grade(85), grade(75), grade(10))
x = 5
if x > 3 and x < 10 or x == 0:
    print('in range')
if not x > 3:
    print('small')
else:
    pass
