for a, b in [(7.5, 2), (-7.5, 2), (7.5, -2), (0.3, 0.1), (1e10, 3.3)]:
    q, r = divmod(a, b)
    print(q, round(r, 10))
