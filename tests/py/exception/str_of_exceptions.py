for e in (ValueError(), ValueError("a"), ValueError("a", "b"), KeyError("k"), KeyError(), IndexError(3), Exception(None)):
    print(repr(str(e)), repr(e))
