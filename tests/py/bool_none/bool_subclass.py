print(isinstance(True, int), issubclass(bool, int), bool.__mro__)
print(True == 1, False == 0, {True: "a", 1: "b"}, [1, 2, 3][True])
