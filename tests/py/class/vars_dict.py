class C:
    cattr = 1
    def __init__(self):
        self.a = 1
        self.b = "two"
c = C()
print(vars(c), c.__dict__)
c.__dict__["z"] = 26
print(c.z, sorted(k for k in vars(C) if not k.startswith("__")))
