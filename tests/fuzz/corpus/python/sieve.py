# corpus: output
# Sieve of Eratosthenes and a greatest-common-divisor loop.
def primes_below(n):
    flags = [True for _ in range(n)]
    flags[0] = False
    flags[1] = False
    i = 2
    while i * i < n:
        if flags[i]:
            j = i * i
            while j < n:
                flags[j] = False
                j += i
        i += 1
    return [k for k in range(n) if flags[k]]

def gcd(a, b):
    while b != 0:
        a, b = b, a % b
    return a

ps = primes_below(60)
print(ps, len(ps))
print(gcd(1071, 462), gcd(17, 5), gcd(2 ** 40, 6 ** 20))
