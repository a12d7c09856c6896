def f():
    pass
def g(a, b):
    return a + b
def h(a, b=1, *args, c, d=2, **kw):
    return
def i(a, /, b, *, c):
    pass
def j(*, a=1, b):
    pass
def k(a=1, /, b=2):
    pass
