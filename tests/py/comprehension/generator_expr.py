g = (x * 2 for x in range(5))
print(type(g).__name__, sum(g), sum(g))
print(max(len(w) for w in ["a", "abcd", "ab"]), list(x for x in "hey"), any(x > 3 for x in [1, 5]))
print(sorted((x % 4 for x in range(10)), reverse=True))
