s = slice(2, None, -1)
print(s, [0, 1, 2, 3][s], slice(1, 2) == slice(1, 2), slice(3).stop)
