import math
try:
    math.exp(10000)
except OverflowError as e:
    print("OverflowError:", e)
try:
    2.0 ** 10000
except OverflowError as e:
    print("OverflowError", type(e).__name__)
try:
    int(float("inf"))
except OverflowError as e:
    print("OverflowError:", e)
