class A:
    def __gt__(self, o):
        return "A.__gt__"
class B:
    pass
print(B() < A(), A() > B())
