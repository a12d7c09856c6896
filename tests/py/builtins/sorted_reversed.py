print(sorted([3, 1, 2]), sorted("bca", reverse=True), sorted({3: 0, 1: 0}), sorted([-3, 1, -2], key=abs))
print(list(reversed([1, 2, 3])), list(reversed("ab")), list(reversed(range(3))), list(reversed((1, 2))))
try:
    reversed({1, 2})
except TypeError as e:
    print("TypeError:", e)
