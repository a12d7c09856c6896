class C:
    n = 5
    @staticmethod
    def s(x):
        return x * 2
    @classmethod
    def c(cls, x):
        return cls.__name__, cls.n + x
    @classmethod
    def make(cls):
        return cls()
class D(C):
    n = 50
print(C.s(3), C().s(4), C.c(1), D.c(1), D().c(2), type(D.make()).__name__)
