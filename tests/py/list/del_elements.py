a = ["a", "b", "c", "d"]
del a[1]
print(a)
del a[0], a[0]
print(a)
