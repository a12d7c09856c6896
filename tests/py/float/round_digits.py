print(round(3.14159, 2), round(2.675, 2), round(1.005, 2), round(-1.5), round(0.5), round(2.5))
print(round(1234.5678, -2), round(1234.5678, 0), round(1234.5678, 3), round(1e-10, 5))
print(round(0.125, 2), round(0.375, 2), type(round(1.5)).__name__, type(round(1.5, 1)).__name__)
