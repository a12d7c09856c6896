import math
for x in (2.5, -2.5, 3.0, -0.1, 1e20):
    print(x, math.floor(x), math.ceil(x), math.trunc(x), type(math.floor(x)).__name__)
print(math.floor(7), math.ceil(-7), math.floor(10 ** 30))
