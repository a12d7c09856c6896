a = 1 + 2 * 3 ** 4 // 5 - 6
b = a | b & c ^ d << e >> f
c = x < y | z
d = not a == b
e = a if b or c else d and e
f = lambda: x if y else z
