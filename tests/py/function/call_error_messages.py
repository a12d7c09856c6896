# CPython 3.11's argument-binding TypeErrors: counts with keyword-only arguments, check order, f(**x) errors naming the function.
def f(a, b=1, *, c):
    pass
def g(a, *, k=0, j=1):
    pass
def h(): pass
def h1(x): pass
def p(x, /, y): pass
class C:
    def m(self, a): pass
    def __init__(self): pass
def kw(**k): return k
tests = [lambda: f(), lambda: f(1), lambda: f(1, 2, 3, c=1), lambda: f(1, c=1, d=2), lambda: f(1, 2, 3, d=1),
         lambda: g(1, 2, k=1, j=2), lambda: g(1, 2, k=1), lambda: g(1, 2), lambda: h(1), lambda: h(1, 2), lambda: h1(1, 2),
         lambda: p(1, 2, 3), lambda: p(x=1, y=2), lambda: C().m(1, 2), lambda: C(1), lambda: C().m(1, 2, **{}),
         lambda: kw(a=1, **{"a": 2}), lambda: kw(**{"a": 1}, **{"a": 2}), lambda: kw(**5), lambda: print(**5),
         lambda: C().m(**[]), lambda: kw(*[], **{"b": 1}, b=2), lambda: {**5}, lambda: C(**{'a':1}, **{'a':2}),
         lambda: len(**{'a': 1}, **{'a': 1})]
for t in tests:
    try:
        t()
    except TypeError as e:
        print("TypeError:", e)
