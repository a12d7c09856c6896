# Function annotations: order (args, positional-only, *args, keyword-only, **kwargs, return),
# mangling, closures, evaluation after defaults, the lazily made {} and assigning __annotations__.
def f(a: 1, /, b: 2, *c: 3, d: 4, **e: 5) -> 6: pass
print(f.__annotations__)
def g(): pass
print(g.__annotations__, g.__annotations__ is g.__annotations__)
g.__annotations__ = {'x': 1}; print(g.__annotations__, g.__dict__)
g.__annotations__ = None; print(g.__annotations__)
try:
    g.__annotations__ = 5
except TypeError as e: print(e)
class C:
    def m(self, __p: int, q: "C" = None) -> "C": return self
print(C.m.__annotations__)
def outer():
    T = list
    def inner(x: T) -> T: pass
    return inner
print(outer().__annotations__)
order = []
def note(x): order.append(x); return x
def h(a: note("ann a") = note("def a"), *, k: note("ann k") = note("def k")) -> note("ret"): pass
print(order)
