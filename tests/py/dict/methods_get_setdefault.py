d = {"a": 1}
print(d.get("a"), d.get("b"), d.get("b", 0), d.setdefault("a", 5), d.setdefault("c", 7), d)
