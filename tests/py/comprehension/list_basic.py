print([x * x for x in range(8)], [x for x in range(20) if x % 3 == 0], [c.upper() for c in "abc"])
print([(x, y) for x in range(3) for y in range(x)], [x if x % 2 else -x for x in range(5)])
