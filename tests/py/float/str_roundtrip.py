import random
random.seed(1)
ok = True
for _ in range(200):
    x = random.random() * 10 ** random.randint(-20, 20)
    if float(repr(x)) != x:
        ok = False
print(ok)
print(repr(0.1 + 0.7), repr(1 - 0.9), repr(100 * 1.1))
