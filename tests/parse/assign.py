x = 1
a = b = c
x, y = y, x
[a, b] = 1, 2
a, *b = c
*a, b = c
(a, b), c = d
x.y = 3
x[0] = 4
x[1:2] = y
