print(repr(1), repr("x"), repr([1, "2"]), repr(1.0), repr(None), repr(...), repr(NotImplemented), repr(type))
print(type(1), type("a"), type([]), type(()), type({}), type(set()), type(1.5), type(None), type(True), type(range(1)), type(b""), type(print))
