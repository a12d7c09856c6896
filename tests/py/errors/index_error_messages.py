for f in (lambda: [][0], lambda: ()[1], lambda: "abc"[10], lambda: [1].pop(5), lambda: range(2)[9]):
    try:
        f()
    except IndexError as e:
        print("IndexError:", e)
