for x in y:
    print(x)
for i, j in pairs:
    pass
for (a, b) in c:
    pass
for x in 1, 2, 3:
    pass
for x in y:
    pass
else:
    z()
for a.b in c: pass
for a[0] in c: pass
for *a, b in c: pass
