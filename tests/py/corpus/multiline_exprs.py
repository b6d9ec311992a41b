# corpus: output
# Expressions spread over several lines: each instruction carries the line of the part it
# computes, and the enclosing expression's own instruction (BUILD_LIST, BINARY_ADD, the call)
# goes back to the line the expression starts on, in 3.9 as in 3.10+.
import threading


def f(a):
    return a + 1


W = 2
a = [f(1),
     f(2)]
b = [f(1), f(W),
     threading.Thread(target=f, args=(W,))]
c = f(1) + \
    f(2)
d = (f(1),
     f(2), 3)
e = f(
    f(
        W))
print(a, len(b), c, d, e)
