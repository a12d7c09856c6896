# BaseException.add_note: validation, and notes (str, str() of others, a non-list __notes__) in printed tracebacks.
e = ValueError("base")
e.add_note("note one")
e.add_note("multi\nline")
try:
    e.add_note(3)
except TypeError as x:
    print(x)
class N:
    def __str__(self): return "N!"
f = KeyError("k")
f.__notes__ = ["a", N()]
g = TypeError()
g.__notes__ = 5
try:
    g.add_note("x")
except TypeError as x:
    print(x)
print(e.__notes__)
e.__notes__.append(N())
try:
    try:
        raise f
    except KeyError:
        raise g
except TypeError:
    pass
try:
    raise g from f
except TypeError as h:
    pass
import sys
try:
    raise ValueError("z")
except ValueError as z:
    z.add_note("zn")
    try:
        raise TypeError('fresh')
    except TypeError:
        raise e
