print(True and False, True or False, not True, not 0, not "", not [1])
print(0 or "default", "x" and "y", None or 0, [] and 1, 3 and 0 and 5)
