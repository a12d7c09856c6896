import random
random.seed(99)
st = random.getstate()
a = [random.random() for _ in range(3)]
random.setstate(st)
b = [random.random() for _ in range(3)]
print(a == b, a)
r = random.Random(5)
print(r.random(), r.randint(1, 100), random.Random(5).random() == random.Random(5).random())
