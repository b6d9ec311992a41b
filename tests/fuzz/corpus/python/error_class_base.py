# error: class with a base class is outside the subset
class Base:
    pass
class C(Base):
    pass
print(C())
