def gcd(a, b):
    while b:
        a, b = b, a % b
    return a
print(gcd(48, 18), gcd(2 ** 100, 6 ** 50), gcd(0, 9), gcd(17, 5))
