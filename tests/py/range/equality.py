print(range(0) == range(2, 2), range(0, 3) == range(0, 3, 1), range(1, 6, 2) == range(1, 7, 2), list(reversed(range(4))))
