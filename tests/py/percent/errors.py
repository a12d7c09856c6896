for fmt, args in [("%d", ("x",)), ("%s %s", ("a",)), ("%s", ("a", "b")), ("%z", (1,))]:
    try:
        print(fmt % args)
    except (TypeError, ValueError) as e:
        print(type(e).__name__ + ":", e)
