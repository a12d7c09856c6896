print((1, 2) < (1, 3), (1, 2) < (1, 2, 0), (2,) > (1, 99), (1, 2) == (1, 2), hash((1, 2)) == hash((1, 2)))
d = {(1, 2): "a", (3,): "b"}
print(d[(1, 2)], d[3,])
try:
    hash((1, [2]))
except TypeError as e:
    print("TypeError:", e)
