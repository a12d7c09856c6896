t = tuple(range(10))
print(t[::2], t[::-1], t[2:5], t[-3:], t[5:2])
