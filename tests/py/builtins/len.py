print(len("abc"), len([1, 2]), len(()), len({1: 2}), len({1, 2, 3}), len(range(10)), len(b"xy"), len("é😀"))
try:
    len(5)
except TypeError as e:
    print("TypeError:", e)
