print(str(), str(42), str(3.5), str([1, "a"]), str((1,)), str({"k": 1}), str(None), str(b"xy"))
print(str(b"caf\xc3\xa9", "utf-8"), str(True), repr(str("x")))
