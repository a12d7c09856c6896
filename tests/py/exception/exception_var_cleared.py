try:
    raise ValueError("x")
except ValueError as e:
    pass
try:
    e
except NameError as ne:
    print("NameError:", ne)
