print(True + True, True * 3, True / 2, -True, True & False, True | False, True ^ True)
print(type(True & False).__name__, type(True + 1).__name__, str(True), repr(False))
print(int(True), float(False), bool("False"), bool(0.0), bool(-0.0))
