class Acc:
    def __init__(self):
        self.items = []
    def __iadd__(self, x):
        print("iadd", x)
        self.items.append(x)
        return self
class Plain:
    def __init__(self, v):
        self.v = v
    def __add__(self, o):
        print("add fallback")
        return Plain(self.v + o)
a = Acc()
orig = a
a += 1
a += 2
print(a.items, a is orig)
p = Plain(1)
p += 5
print(p.v)
