import itertools
print(list(itertools.chain([1, 2], "ab", (3,))), list(itertools.chain.from_iterable([[1], [2, 3], []])), list(itertools.chain()))
