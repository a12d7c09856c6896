import math
print(math.pow(0, 0), math.pow(-8, 1 / 3) if False else "skip", math.pow(2, -1), math.pow(math.inf, 0))
try:
    math.pow(-8, 0.5)
except ValueError as e:
    print("ValueError:", e)
try:
    math.exp(1000)
except OverflowError as e:
    print("OverflowError:", e)
