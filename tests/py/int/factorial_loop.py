f = 1
for i in range(1, 51):
    f *= i
print(f)
print(f // 2 ** 40)
