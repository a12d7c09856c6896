print(min(3, 1, 2), max([3, 1, 2]), min("bca"), max("a", "bb", key=len), min([], default="empty"), max([(1, "b"), (1, "a")]))
print(max([1, 5, 3], key=lambda x: -x), min([2, 2, 1, 1], key=lambda x: x), max(iter([4, 9, 1])))
try:
    min([])
except ValueError as e:
    print("ValueError:", e)
try:
    max()
except TypeError as e:
    print("TypeError:", e)
