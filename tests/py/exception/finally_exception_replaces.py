try:
    try:
        raise ValueError("a")
    finally:
        raise KeyError("b")
except Exception as e:
    print(repr(e), repr(e.__context__))
