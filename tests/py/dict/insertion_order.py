d = {}
for k in ["z", "a", "m", "b"]:
    d[k] = len(d)
print(d, list(d), list(d.values()), list(d.items()))
d["a"] = 100
print(d)
del d["z"]
d["z"] = -1
print(d)
