class A:
    def f(self):
        return "method"
a = A()
a.f = lambda: "instance attr"
print(a.f(), A.f(a), A().f())
