x = None
print(x, repr(x), str(x), x is None, x == None, type(x).__name__)
def f():
    pass
print(f(), f() is None)
