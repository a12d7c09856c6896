from contextlib import suppress, contextmanager
with suppress(KeyError, IndexError):
    [][1]
print("suppressed")
@contextmanager
def tag(name):
    print("<%s>" % name)
    try:
        yield name
    except ValueError as e:
        print("handled in cm", e)
    finally:
        print("</%s>" % name)
with tag("a") as t:
    print("inside", t)
with tag("b"):
    raise ValueError("boom")
print("done")
