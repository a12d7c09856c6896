print(str(12345), repr(-12345), str(10 ** 50), repr(-(10 ** 50)))
print(len(str(3 ** 500)))
