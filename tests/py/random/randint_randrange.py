import random
random.seed(12345)
print([random.randint(1, 6) for _ in range(20)])
print([random.randrange(100) for _ in range(10)], [random.randrange(10, 50, 5) for _ in range(5)])
print(random.randint(0, 10 ** 30))
