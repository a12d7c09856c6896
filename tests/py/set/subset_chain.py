a, b, c = {1}, {1, 2}, {1, 2, 3}
print(a < b < c, a.issubset(c), c.issuperset(b), c > a, b <= b)
