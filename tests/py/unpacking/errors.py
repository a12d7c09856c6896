for src in ([1, 2, 3], [1]):
    try:
        a, b = src
    except ValueError as e:
        print("ValueError:", e)
try:
    a, b, *c = [1]
except ValueError as e:
    print("ValueError:", e)
try:
    a, b = 5
except TypeError as e:
    print("TypeError:", e)
