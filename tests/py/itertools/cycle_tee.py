import itertools
c = itertools.cycle("ab")
print([next(c) for _ in range(5)])
a, b = itertools.tee([1, 2, 3])
print(list(a), list(b))
