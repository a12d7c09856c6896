for first, *rest in [(1, 2, 3), (4,), "ab"]:
    print(first, rest)
