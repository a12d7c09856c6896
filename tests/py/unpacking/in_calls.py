def f(a, b, c, d=0, **kw):
    return (a, b, c, d, sorted(kw.items()))
args = [1, 2]
print(f(*args, 3), f(*[1], *[2, 3]), f(*"abc", **{"d": 4, "e": 5}), f(1, *(2, 3), x=1, **{"y": 2}))
