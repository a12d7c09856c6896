class A:
    x = "A.x"
    def who(self):
        return "A.who"
class B(A):
    pass
b = B()
print(b.x, b.who(), B.x)
A.x = "changed"
A.new = lambda self: "added later"
print(b.x, b.new())
b.x = "instance"
print(b.x, B.x)
del b.x
print(b.x)
