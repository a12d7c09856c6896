class Box:
    def __init__(self):
        self.d = {}
    def __getitem__(self, k):
        print("get", k)
        return self.d[k]
    def __setitem__(self, k, v):
        print("set", k, v)
        self.d[k] = v
    def __delitem__(self, k):
        print("del", k)
        del self.d[k]
    def __contains__(self, k):
        return k in self.d
    def __len__(self):
        return len(self.d)
b = Box()
b["a"] = 1
b["b"] = 2
print(b["a"], "a" in b, "z" in b, len(b))
del b["a"]
print("a" in b, len(b))
try:
    b["zz"]
except KeyError as e:
    print("KeyError:", e)
