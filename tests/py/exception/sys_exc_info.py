import sys
print(sys.exc_info())
try:
    raise IndexError("idx")
except IndexError:
    t, v, tb = sys.exc_info()
    print(t.__name__, v, tb is not None, repr(sys.exception()) if hasattr(sys, "exception") else repr(v))
print(sys.exc_info())
