values = [5, "abc", None]
for v in values:
    try:
        v()
    except TypeError as e:
        print("TypeError:", e)
