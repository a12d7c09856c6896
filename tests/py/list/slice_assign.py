a = list(range(10))
a[2:5] = ["x"]
print(a)
a[1:1] = [7, 7, 7]
print(a)
a[::2] = "ABCDEF"
print(a)
a[:] = [1, 2]
print(a)
try:
    a[::2] = [1, 2, 3]
except ValueError as e:
    print("ValueError:", e)
