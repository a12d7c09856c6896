@dec
def f():
    pass
@a.b(1)
@c
def g(): pass
@dec
class C:
    pass
@x[0]
def h(): pass
