a = 3 ** 150
b = 7 ** 40
print(a // b, a % b)
print(-a // b, -a % b)
print(a // -b, a % -b)
print(divmod(a, b) == (a // b, a % b))
print(divmod(-a, -b))
