class Pt:
    __slots__ = ("x", "y")
    def __init__(self, x, y):
        self.x, self.y = x, y
p = Pt(1, 2)
p.x = 10
print(p.x, p.y, hasattr(p, "__dict__"), Pt.__slots__)
try:
    p.z = 3
except AttributeError as e:
    print("AttributeError:", e)
del p.y
try:
    p.y
except AttributeError as e:
    print("AttributeError:", e)
