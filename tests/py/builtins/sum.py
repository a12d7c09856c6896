print(sum([1, 2, 3]), sum([]), sum([1, 2], 10), sum([0.5, 0.25]), sum([[1], [2]], []), sum(range(101)), sum([True, True]))
try:
    sum(["a", "b"], "")
except TypeError as e:
    print("TypeError:", e)
