for op in ("a // b", "a % b", "a / b", "divmod(a, b)"):
    try:
        a, b = 5, 0
        eval(op)
    except ZeroDivisionError as e:
        print(op, "->", e)
