print(sorted(key=lambda x: -x, iterable=[1, 3, 2]) if False else sorted([1, 3, 2], key=lambda x: -x))
print(int("ff", base=16), "a-b-c".split(sep="-", maxsplit=1), dict(a=1))
