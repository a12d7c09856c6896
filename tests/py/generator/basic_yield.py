def gen():
    yield 1
    yield 2
    yield 3
g = gen()
print(next(g), next(g), next(g))
try:
    next(g)
except StopIteration as e:
    print("StopIteration", e.value)
print(list(gen()), sum(gen()))
