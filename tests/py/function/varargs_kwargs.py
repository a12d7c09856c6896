def f(*args, **kwargs):
    return args, sorted(kwargs.items())
print(f(), f(1, 2), f(a=1), f(1, b=2, c=3))
def g(a, *rest, key=None, **other):
    print(a, rest, key, other)
g(1); g(1, 2, 3, key="k", z=9)
