import math
print(math.sqrt(16), math.sqrt(2), math.sqrt(0.25), math.isqrt(17), math.isqrt(10 ** 30), math.isqrt(0))
for bad in (lambda: math.sqrt(-1), lambda: math.isqrt(-1)):
    try:
        bad()
    except ValueError as e:
        print("ValueError:", e)
