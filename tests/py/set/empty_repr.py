print(set(), frozenset(), {1}, type({}).__name__, set([]), set(range(5)))
