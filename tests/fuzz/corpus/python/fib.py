# corpus: output
# Fibonacci three ways: recursion, a loop with tuple assignment, a list.
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

def fib_loop(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a

print(fib(20))
print(fib_loop(20), fib_loop(90))
seq = [0, 1]
while len(seq) < 12:
    seq.append(seq[len(seq) - 1] + seq[len(seq) - 2])
print(seq)
print(fib_loop(100) > 2 ** 63)
