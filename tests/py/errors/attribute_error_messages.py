for obj, attr in ((1, "foo"), ("s", "bar"), ([], "baz"), (None, "x"), (int, "nope")):
    try:
        getattr(obj, attr)
    except AttributeError as e:
        print(e)
