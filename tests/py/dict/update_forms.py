d = {"a": 1}
d.update({"b": 2})
d.update([("c", 3), ("a", 10)])
d.update(e=5, f=6)
print(d)
d |= {"g": 7}
print(d, {"x": 1} | {"x": 2, "y": 3})
