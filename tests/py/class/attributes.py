class C:
    shared = []
    count = 0
    def __init__(self, name):
        self.name = name
        C.count += 1
a, b = C("a"), C("b")
a.shared.append(1)
print(C.count, a.name, b.name, b.shared, a.count)
a.count = 100
print(a.count, b.count, C.count)
print(C.__name__, type(a).__name__, type(a) is C, a.__class__ is C)
