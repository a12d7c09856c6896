it = iter([1, 2])
print(next(it), next(it), next(it, "default"), next(it, None))
try:
    next(it)
except StopIteration:
    print("StopIteration")
calls = [3, 2, 1, 0, 5]
print(list(iter(lambda: calls.pop(0), 0)))
try:
    iter(5)
except TypeError as e:
    print("TypeError:", e)
