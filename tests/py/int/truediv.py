print(7 / 2, -7 / 2, 6 / 3, 1 / 3, 10 / -4)
print(type(4 / 2).__name__)
print(2**60 / 2**30)
print(10**30 / 10**10)
