a = 2 ** 100
print(a + 1, a - 1, -a + 1, a - a, a + a)
print(10 ** 40 - 10 ** 39)
print(-(10 ** 25) + 10 ** 25 - 1)
x = 0
for i in range(100):
    x = x * 31 + i
print(x)
