print([1, 2] * 3, [0] * 0, [] * 5, [1] + [2, 3], 2 * ["a"])
try:
    [1] + (2,)
except TypeError as e:
    print("TypeError:", e)
