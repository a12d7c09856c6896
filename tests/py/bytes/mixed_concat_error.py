try:
    b"a" + "b"
except TypeError as e:
    print("TypeError:", e)
