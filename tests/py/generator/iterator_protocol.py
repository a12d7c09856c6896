def g():
    yield from [1, 2]
it = g()
print(iter(it) is it, hasattr(it, "__next__"), list(it), list(it))
