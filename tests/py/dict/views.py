d = {"a": 1, "b": 2, "c": 3}
k, v, it = d.keys(), d.values(), d.items()
print(k, v, it)
d["d"] = 4
print(len(k), list(v), ("d", 4) in it, "a" in k, 3 in v)
print(sorted(k & {"a", "z"}), sorted(k | {"z"}), sorted(k - {"a"}))
