for fmt, args in [("{} {}", (1,)), ("{0} {}", (1, 2)), ("{x}", ()), ("{:d}", ("s",)), ("{", ())]:
    try:
        print(fmt.format(*args))
    except (IndexError, KeyError, ValueError) as e:
        print(type(e).__name__, e)
