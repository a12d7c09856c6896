import random
random.seed(0)
print([random.uniform(-1, 1) for _ in range(4)], random.uniform(5, 10))
print(random.getrandbits(64), random.getrandbits(100), random.getrandbits(1))
