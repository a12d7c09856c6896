import math
for f in (math.sin, math.cos, math.tan, math.atan):
    print(f.__name__, [round(f(x), 10) for x in (0, 0.5, 1, math.pi / 4)])
print(round(math.asin(1), 12), round(math.acos(0), 12), round(math.atan2(1, -1), 12), math.degrees(math.pi), math.radians(180))
print(round(math.hypot(3, 4), 12), round(math.sinh(1), 10), round(math.cosh(1), 10), round(math.tanh(0.5), 10))
