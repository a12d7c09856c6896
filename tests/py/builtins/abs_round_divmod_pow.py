print(abs(-3), abs(-2.5), abs(True), round(2.567, 1), round(-2.5), divmod(17, -5), pow(2, 8), pow(2.0, 3), pow(5, -1, 7))
