d = {"l": [1], "n": 2}
c = d.copy()
c["l"].append(2)
c["n"] = 3
print(d, c)
