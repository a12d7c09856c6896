s = set()
for x in [5, 3, 9, 1, 7, 0, 2]:
    s.add(x)
print(s, sorted(s), min(s), max(s), sum(s))
