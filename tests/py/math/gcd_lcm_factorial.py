import math
print(math.gcd(12, 18), math.gcd(0, 5), math.gcd(-4, 6), math.gcd(2 ** 80, 6 ** 40), math.lcm(4, 6), math.gcd())
print(math.factorial(0), math.factorial(10), math.factorial(30))
try:
    math.factorial(-1)
except ValueError as e:
    print("ValueError:", e)
