# corpus: output
# A class with __init__, methods and self.count += 1.
class Counter:
    def __init__(self, start):
        self.count = start
        self.steps = 0

    def inc(self):
        self.count += 1
        self.steps += 1

    def add(self, n):
        self.count += n
        self.steps += 1
        return self.count

c = Counter(10)
c.inc()
c.inc()
print(c.count, c.steps)
print(c.add(5), c.steps)
d = Counter(0)
for i in range(100):
    d.inc()
print(d.count, c.count)
