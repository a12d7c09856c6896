print({"a": {"b": [1, (2, 3)], "c": None}, "d": "x'y"})
d = {}
d["self"] = d
print(d)
