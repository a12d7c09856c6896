print(0.0 ** 0, 2.0 ** 0.5, (-8.0) ** 2, 10.0 ** -1)
try:
    0.0 ** -1
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    print(10.0 ** 400)
except OverflowError as e:
    print("OverflowError")
print(type((-8) ** 0.5).__name__)
