for r in (range(10, -1, -2), range(-5, -10, -1), range(0, -3)):
    print(list(r), len(r))
