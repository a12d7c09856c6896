# Annotations: module/class __annotations__ (evaluation order, complex targets, mangling, nesting),
# none evaluated in functions, exec namespaces; function annotations are in test annotations.py.
order = []
def note(x):
    order.append(x)
    return x
x: note("x ann") = note("x val")
y: note("y ann")
(z): note("z paren") = 3
class Box:
    pass
b = Box()
b.attr: note("attr ann") = 1
d = {}
d[note("key")]: note("sub ann") = 2
print(__annotations__, order)
class C:
    "doc"
    a: int
    __p: str = "p"
    if True:
        c: list = []
    def m(self):
        loc: note("never") = 5
        other: undefined_name
        return loc
print(C.__annotations__, list(C.__dict__)[:5], C().m(), order[-1])
class Empty:
    def f(self): pass
print("__annotations__" in Empty.__dict__)
def fn():
    for i in range(1):
        q: int = i
    return q
print(fn(), fn.__annotations__)
ns = {}
exec("v: int = 1\nw: str", ns)
print(ns["__annotations__"])
class M(dict):
    pass
m = M()
exec("u: int = 1", {}, m)
print(m)
