import functools
def cmp(a, b):
    return (a > b) - (a < b)
print(sorted([3, 1, 2], key=functools.cmp_to_key(lambda a, b: cmp(b, a))), sorted(["b", "A", "c"], key=functools.cmp_to_key(lambda a, b: cmp(a.lower(), b.lower()))))
