def f():
    try:
        try:
            raise ValueError("inner")
        except TypeError:
            print("wrong handler")
        finally:
            print("inner finally")
    except ValueError as e:
        print("outer caught", e)
        try:
            raise KeyError("in handler")
        except KeyError as k:
            print("nested caught", k)
        print("still in handler")
f()
