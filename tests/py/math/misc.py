import math
print(math.copysign(3, -0.0), math.fabs(-2), math.fmod(7, -3), math.modf(3.75), math.frexp(8.0), math.ldexp(0.5, 4))
print(math.isfinite(1.0), math.isfinite(math.inf), math.pow(2, 10), math.dist((0, 0), (3, 4)), math.remainder(10, 3))
