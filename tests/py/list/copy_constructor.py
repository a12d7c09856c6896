a = [1, [2, 3]]
b = a.copy()
c = list(a)
d = a[:]
b[1].append(4)
b.append(5)
print(a, b, c, d, list(), list((1, 2)), list({3: 4}), list(range(3)))
