# bytes % formatting (PEP 461): conversions, flags, mapping keys, error messages; bytes and bytearray
class B:
    def __bytes__(self): return b"BB"
class Bad:
    def __bytes__(self): return "no"
class I:
    def __index__(self): return 66
cases = [
    (b"%d %s %x %r", (5, b"ab", 255, "h\xe9")),
    (b"%5d|%-5d|%05d|%+d|% d", (1, 2, 3, 4, 5)),
    (b"%#x %#o %X %o", (255, 8, 255, -8)),
    (b"%.3s|%5s|%-5s|%5.1s", (b"abcdef", b"ab", b"ab", b"xyz")),
    (b"%c%c%c", (65, b"b", bytearray(b"c"))),
    (b"%c", (I(),)),
    (b"%s %b", (B(), bytearray(b"q"))),
    (b"%a %r", ([1, "\u20ac"], b"x'")),
    (b"%10r|%-8a|%.2r", (1, 2, "abc")),
    (b"%f %.2e %g %G %5.1f", (1.5, 12345.678, 1e-10, 1e20, 2.25)),
    (b"%d %i %u", (3.7, True, 2**70)),
    (b"%*d|%-*d|%.*f", (5, 1, 4, 2, 2, 3.14159)),
    (b"%(a)s-%(b)d", {b"a": b"x", b"b": 7}),
    (b"100%%", ()),
    (b"%s", b"single"),
    (b"%s", (b"t",)),
    (b"%x", 3.5),
    (b"%s", 5),
    (b"%s", "str"),
    (b"%s", Bad()),
    (b"%c", 256),
    (b"%c", -1),
    (b"%c", b"ab"),
    (b"%c", "a"),
    (b"%c", 2**80),
    (b"%d", "x"),
    (b"%f", "x"),
    (b"%d %d", (1,)),
    (b"%d", (1, 2)),
    (b"%y", 1),
    (b"%", ()),
    (b"%(a", {b"a": 1}),
    (b"%(a)s", (1,)),
    (b"%(a)s", {b"b": 1}),
    (b"%*d", ("x", 1)),
    (b"x", 5),
    (b"x", {}),
    (b"%s", {}),
    (b"%5%|", ()),
    (b"%ld %hd %Lf", (1, 2, 3.0)),
]
for f, a in cases:
    try:
        print(repr(f % a))
    except Exception as e:
        print(type(e).__name__, e)
    try:
        print(repr(bytearray(f) % a))
    except Exception as e:
        print(type(e).__name__, e)
