def load():
    try:
        int("x")
    except ValueError as e:
        raise LookupError("cannot load") from e
load()
