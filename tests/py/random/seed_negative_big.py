import random
for s in (0, 1, -1, 2 ** 40, 10 ** 30):
    random.seed(s)
    print(s, random.random(), random.randrange(1000))
