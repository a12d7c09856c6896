f = frozenset([3, 1, 2, 1])
print(f, len(f), 2 in f, f | {4}, type(f | {4}).__name__, type({4} | f).__name__)
print({f: "ok"}[frozenset({1, 2, 3})], frozenset() == set(), hash(f) == hash(frozenset({1, 2, 3})))
try:
    f.add(4)
except AttributeError as e:
    print("AttributeError:", e)
