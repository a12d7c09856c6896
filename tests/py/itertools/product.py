import itertools
print(list(itertools.product("ab", [1, 2])), list(itertools.product([0, 1], repeat=3)), list(itertools.product()))
