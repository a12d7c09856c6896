print(type(5) == int, type(True) == int, isinstance(5, object), type(type(5)), int.__name__, int.__class__)
