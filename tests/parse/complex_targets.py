a[i].b, c.d[j] = x
(a.b, [c, d]) = e
x = y = z = 0
a, = b
[a] = b
