a = -2 ** -1
b = 2 ** -x
c = (-2) ** 2
d = not -x
e = - - x
f = ~~x
