try:
    try:
        raise TypeError("first")
    except TypeError:
        raise KeyError("second")
except KeyError as e:
    print(repr(e), repr(e.__context__), e.__cause__)
