import functools, operator
print(functools.reduce(operator.add, [1, 2, 3, 4]), functools.reduce(lambda a, b: a * b, range(1, 6), 1), functools.reduce(max, [3, 9, 2]))
try:
    functools.reduce(operator.add, [])
except TypeError as e:
    print("TypeError:", e)
