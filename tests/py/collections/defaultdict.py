from collections import defaultdict
d = defaultdict(list)
for k, v in [("a", 1), ("b", 2), ("a", 3)]:
    d[k].append(v)
print(d, dict(d), d["missing"], len(d))
c = defaultdict(int)
for ch in "mississippi":
    c[ch] += 1
print(sorted(c.items()))
n = defaultdict(lambda: "N/A")
print(n["x"], "y" in n)
