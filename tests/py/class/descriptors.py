class Typed:
    def __set_name__(self, owner, name):
        self.name = "_" + name
    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return getattr(obj, self.name)
    def __set__(self, obj, value):
        if not isinstance(value, int):
            raise TypeError("expected int for " + self.name)
        setattr(obj, self.name, value)
class P:
    x = Typed()
p = P()
p.x = 5
print(p.x, p._x, type(P.x).__name__)
try:
    p.x = "s"
except TypeError as e:
    print("TypeError:", e)
