print(int(3.9), int(-3.9), int(0.0), int(-0.5), int(1e20))
print(int(2.0 ** 70))
for v in (float("inf"), float("nan")):
    try:
        int(v)
    except (OverflowError, ValueError) as e:
        print(type(e).__name__, e)
