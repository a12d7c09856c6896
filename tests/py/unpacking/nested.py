(a, b), c = (1, 2), 3
print(a, b, c)
[x, (y, *z)], w = [1, (2, 3, 4)], 5
print(x, y, z, w)
for i, (j, k) in enumerate([(1, 2), (3, 4)]):
    print(i, j, k)
