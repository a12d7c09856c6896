print({x: x * x for x in range(6)}, {k: v for k, v in zip("abc", [3, 2, 1]) if v > 1})
print({i % 3: i for i in range(10)})
