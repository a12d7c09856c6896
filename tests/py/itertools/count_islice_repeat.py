import itertools
print(list(itertools.islice(itertools.count(), 5)), list(itertools.islice(itertools.count(10, -2.5), 4)))
print(list(itertools.repeat("x", 3)), list(itertools.islice(itertools.repeat(0), 2)), list(itertools.islice("abcdefg", 1, None, 2)))
