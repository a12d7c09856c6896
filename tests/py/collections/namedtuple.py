from collections import namedtuple
P = namedtuple("P", ["x", "y"])
p = P(1, y=2)
print(p, p.x, p[1], p._fields, p._asdict(), p._replace(x=10), tuple(p), p == (1, 2))
x, y = p
print(x + y, len(p), P._make([5, 6]), isinstance(p, tuple))
Q = namedtuple("Q", "a b c", defaults=[0])
print(Q(1, 2), Q._field_defaults)
try:
    p.x = 5
except AttributeError as e:
    print("AttributeError:", e)
