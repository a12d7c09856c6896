print(True + True, True * 10, False - 1, 3 + True, True << 4, ~True)
print(isinstance(True, int), int(True), int(False))
