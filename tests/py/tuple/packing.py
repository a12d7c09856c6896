t = 1, 2, 3
a, b, c = t
print(t, a, b, c)
x = 5,
print(x, type(x).__name__)
