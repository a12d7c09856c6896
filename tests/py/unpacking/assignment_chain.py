a = b = c = [0]
a.append(1)
print(a, b, c, a is c)
x, y = y, x = 1, 2
print(x, y)
