one, none = 1, None
tests = [lambda: 1 + "a", lambda: [] + (), lambda: "a" * "b", lambda: none + 1, lambda: {} < {},
         lambda: -"a", lambda: len(none), lambda: one[0], lambda: none[0], lambda: {}[[]]]
for t in tests:
    try:
        t()
    except TypeError as e:
        print(e)
