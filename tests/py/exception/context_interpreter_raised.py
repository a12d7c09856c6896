# An exception the interpreter raises while another is handled gets it as __context__ (not only
# exceptions of a raise statement); `raise ... from None` keeps the context but suppresses it.
try:
    1 / 0
except ZeroDivisionError:
    try:
        undefined_name
    except NameError as e:
        print(type(e.__context__).__name__)
def g():
    try:
        raise KeyError("k")
    except KeyError:
        pass
    return [][1]
try:
    {}["x"]
except KeyError:
    try:
        g()
    except IndexError as e:
        print(repr(e.__context__))
try:
    try:
        1/0
    except ZeroDivisionError:
        int("x")
except ValueError as e:
    print(repr(e.__context__), e.__suppress_context__)
def h():
    try:
        1/0
    except ZeroDivisionError:
        raise ValueError("v") from None
try:
    h()
except ValueError as e:
    print(repr(e.__cause__), repr(e.__context__), e.__suppress_context__)
