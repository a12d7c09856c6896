print(",".join(["a", "b", "c"]), "".join([]), "-".join("xyz"), " ".join(str(i) for i in range(5)))
try:
    ",".join(["a", 1])
except TypeError as e:
    print("TypeError:", e)
