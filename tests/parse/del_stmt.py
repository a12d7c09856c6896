del x
del x, y
del a.b
del a[0]
del (a, b)
del [a, b]
del a[1:2]
