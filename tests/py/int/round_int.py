print(round(5), round(15, -1), round(25, -1), round(35, -1), round(-25, -1))
print(round(123456, -2), round(123450, -2), round(123550, -2), round(7, 2))
print(type(round(5, -1)).__name__)
