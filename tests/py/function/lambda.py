sq = lambda x: x * x
add = lambda a, b=10: a + b
print(sq(7), add(1), add(1, 2), (lambda *a: len(a))(1, 2, 3), (lambda: "no args")())
print(sorted([3, -1, 2], key=lambda v: -v), list(map(lambda s: s[::-1], ["ab", "cd"])))
