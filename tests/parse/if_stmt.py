if a:
    pass
if a:
    x = 1
else:
    x = 2
if a:
    x
elif b:
    y
elif c:
    z
else:
    w
if x: y = 1
