a = x and y
b = x or y
c = x and y and z
d = x or y and z
e = not x
f = not x and not y
g = (a or b) and c
