for f in (lambda: int("abc"), lambda: float("x"), lambda: [1].index(2), lambda: "a".index("b"), lambda: list.remove([], 1), lambda: (1, 2).index(3)):
    try:
        f()
    except ValueError as e:
        print("ValueError:", e)
