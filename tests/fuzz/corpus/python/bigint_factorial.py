# corpus: output
# Factorials past 2**63, computed with a loop and with recursion.
def fact(n):
    result = 1
    for i in range(2, n + 1):
        result = result * i
    return result

def fact_rec(n):
    if n <= 1:
        return 1
    return n * fact_rec(n - 1)

print(fact(20))
print(fact(25))
print(fact_rec(25))
print(fact(25) == fact_rec(25))
print(fact(30) // fact(28))
print(fact(25) % 1_000_000_007)
print(-fact(21))
