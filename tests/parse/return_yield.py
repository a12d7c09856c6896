def f():
    return 1, 2
def g():
    yield
    yield 1
    yield 1, 2
    x = yield
    y = yield 3
    yield from z
    w = yield from v
    f((yield))
def h():
    return *a, b
