print(int("7"), float("7"), str(7), bool(7), list("ab"), tuple([1]), set([1, 1]), dict(a=1), complex(1, 2), frozenset([1]))
