def f(a, b=1, *c, d, **e):
    "docstring"
    x = 1
    return x
print(f.__name__, f.__doc__, f.__defaults__, f.__kwdefaults__, f.__code__.co_argcount, f.__code__.co_kwonlyargcount)
f.custom = "attr"
print(f.custom, f.__qualname__, (lambda: 0).__name__)
def outer():
    def inner():
        pass
    return inner
print(outer().__qualname__)
