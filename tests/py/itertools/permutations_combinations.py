import itertools
print(list(itertools.permutations("abc")), list(itertools.permutations(range(4), 2))[:5], len(list(itertools.permutations(range(5)))))
print(list(itertools.combinations("abcd", 2)), list(itertools.combinations_with_replacement("ab", 2)))
