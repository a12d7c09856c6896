class Default(dict):
    def __missing__(self, key):
        return f"<{key}>"
d = Default(a=1)
print(d["a"], d["b"], d.get("b"), "b" in d, d)
class Counter(dict):
    def __setitem__(self, k, v):
        super().__setitem__(k, v * 10)
c = Counter()
c["x"] = 1
print(c, dict(c))
