print(hash(1) == hash(1.0) == hash(True), hash("abc") == hash("a" + "bc"), hash((1, "a")) == hash((1, "a")), hash(frozenset([1, 2])) == hash(frozenset([2, 1])))
for v in ([1], {1: 2}, {1}):
    try:
        hash(v)
    except TypeError as e:
        print("TypeError:", e)
