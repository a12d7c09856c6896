import random
random.seed(2024)
items = list(range(10))
random.shuffle(items)
print(items)
print([random.choice("abcdef") for _ in range(10)], random.choice([10, 20, 30]))
print(random.sample(range(100), 5), random.choices("xyz", k=6))
