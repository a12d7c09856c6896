import math
print(math.log(1), math.log(math.e), math.log10(1000), math.log2(1024), math.log(8, 2), math.exp(0))
print(round(math.exp(1), 12), round(math.log(10), 12), round(math.log1p(1e-10), 20), round(math.expm1(1e-5), 15))
try:
    math.log(0)
except ValueError as e:
    print("ValueError:", e)
