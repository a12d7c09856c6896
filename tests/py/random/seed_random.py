import random
random.seed(42)
print([random.random() for _ in range(5)])
random.seed(42)
print(random.random())
