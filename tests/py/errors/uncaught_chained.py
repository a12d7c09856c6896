try:
    {}.pop("missing")
except KeyError:
    raise RuntimeError("while handling")
