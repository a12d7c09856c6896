print(float(3), float(-7), float(10 ** 20), float(2 ** 63), float(True))
print(int(7.99), int(-7.99), round(7.5), round(8.5), round(-0.5), round(1.5))
print(float(2 ** 53 + 1), float(123456789012345678901234567890))
try:
    float(10 ** 400)
except OverflowError as e:
    print("OverflowError:", e)
