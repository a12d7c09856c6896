a = [*x, *y]
b = (*x, 1)
c = {*x, 2}
d = {**x, 'k': 1, **y}
e = *a, *b
print(*a)
