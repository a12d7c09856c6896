f = lambda: 0
g = lambda x: x + 1
h = lambda x, y=2, *a, k, m=3, **kw: x
i = lambda *, k: k
j = lambda a, /, b: a
k = lambda *args: args
