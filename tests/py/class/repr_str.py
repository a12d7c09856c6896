class P:
    def __init__(self, x):
        self.x = x
    def __repr__(self):
        return f"P({self.x!r})"
class Q(P):
    def __str__(self):
        return f"Q with {self.x}"
print(P(1), repr(P("a")), str(P(2)), [P(3)], Q(4), [Q(5)], f"{Q(6)}", "%s %r" % (Q(7), Q(8)))
