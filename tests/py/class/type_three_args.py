T = type("T", (object,), {"x": 5, "f": lambda self: self.x * 2})
print(T.__name__, T().f(), T.x, type(T()) is T, T)
