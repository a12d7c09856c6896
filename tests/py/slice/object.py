s = slice(1, 8, 2)
print(s, s.start, s.stop, s.step, list(range(10))[s], "abcdefghij"[s])
print(slice(5), slice(None, None, -1), s.indices(5), slice(-3, None).indices(10))
