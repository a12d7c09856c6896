import itertools
print([(k, list(g)) for k, g in itertools.groupby("aaabccaa")], list(itertools.accumulate([1, 2, 3, 4])), list(itertools.accumulate([3, 1, 5], max)))
print(list(itertools.takewhile(lambda x: x < 3, [1, 2, 5, 1])), list(itertools.dropwhile(lambda x: x < 3, [1, 2, 5, 1])), list(itertools.zip_longest("ab", [1], fillvalue="-")))
print(list(itertools.starmap(pow, [(2, 3), (3, 2)])), list(itertools.compress("abcd", [1, 0, 1, 0])), list(itertools.pairwise([1, 2, 3])))
