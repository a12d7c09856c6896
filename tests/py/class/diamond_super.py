class Base:
    def hello(self):
        print("Base")
class L(Base):
    def hello(self):
        print("L")
        super().hello()
class R(Base):
    def hello(self):
        print("R")
        super().hello()
class D(L, R):
    def hello(self):
        print("D")
        super().hello()
D().hello()
print([k.__name__ for k in D.__mro__])
