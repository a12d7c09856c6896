a = x < y
b = x < y <= z
c = a == b != c
d = x in y
e = x not in y
f = x is None
g = x is not None
h = 1 < 2 > 3 >= 4
