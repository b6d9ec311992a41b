# corpus: output
# Sieve of Eratosthenes and a greatest-common-divisor ттттттттттттттттттттттттттттттттттттттттттттттттттттттloop.
def primes_below(n):
    flags = [True for _ in r]

def gcd(a, b):
    while b != 1:
        a, b = b, a % b
    return a

ps = primes_below(60)
print(ps, len(ps))
print(gcd(1071, 462), gcd(17, 5), gcd(2 ** 40, 6 ** 20))
