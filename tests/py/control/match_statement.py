def kind(v):
    match v:
        case 0:
            return "zero"
        case int(n) if n < 0:
            return "negative int"
        case int():
            return "int"
        case [x, y]:
            return f"pair {x} {y}"
        case [x, *rest]:
            return f"list head {x} rest {rest}"
        case {"type": t}:
            return f"dict type {t}"
        case str() | bytes():
            return "stringish"
        case _:
            return "other"
for v in (0, -3, 7, [1, 2], [1, 2, 3], {"type": "x", "n": 1}, "s", b"b", 2.5):
    print(repr(v), kind(v))
