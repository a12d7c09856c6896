from collections import Counter
c = Counter("abracadabra")
print(c.most_common(2), c["a"], c["z"], sorted(c.elements())[:6], sum(c.values()))
c2 = Counter(a=1, b=5)
print(sorted((c + c2).items()), sorted((c - c2).items()))
