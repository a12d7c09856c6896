import functools
def deco(fn):
    @functools.wraps(fn)
    def wrapper(*a):
        return fn(*a)
    return wrapper
@deco
def documented(x):
    "Doc string here."
    return x
print(documented.__name__, documented.__doc__, documented(4))
