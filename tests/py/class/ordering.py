import functools
@functools.total_ordering
class V:
    def __init__(self, v):
        self.v = v
    def __eq__(self, o):
        return self.v == o.v
    def __lt__(self, o):
        return self.v < o.v
    def __repr__(self):
        return "V%d" % self.v
print(V(1) < V(2), V(2) <= V(2), V(3) > V(2), V(1) >= V(2), sorted([V(3), V(1), V(2)]))
class W:
    def __lt__(self, o):
        print("W.__lt__")
        return NotImplemented
    def __gt__(self, o):
        print("W.__gt__")
        return NotImplemented
try:
    W() < W()
except TypeError as e:
    print("TypeError:", e)
