x = 5
del x
try:
    x
except NameError as e:
    print("NameError:", e)
