a = list(range(12))
del a[::3]
print(a)
del a[1:3]
print(a)
del a[-1]
print(a)
del a[:]
print(a)
