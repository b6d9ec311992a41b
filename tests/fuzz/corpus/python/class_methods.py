# corpus: output
# Objects holding lists and other objects; methods calling methods.
class Account:
    def __init__(self, owner, balance):
        self.owner = owner
        self.balance = balance
        self.history = []

    def deposit(self, amount):
        self.balance += amount
        self.history.append(amount)

    def withdraw(self, amount):
        if amount > self.balance:
            return False
        self.balance -= amount
        self.history.append(-amount)
        return True

    def transfer(self, other, amount):
        if self.withdraw(amount):
            other.deposit(amount)
            return True
        return False

a = Account('ann', 100)
b = Account('ben', 5)
print(a.transfer(b, 30), a.balance, b.balance)
print(b.transfer(a, 100), a.balance, b.balance)
a.deposit(7)
print(a.history, b.history, a.owner)
