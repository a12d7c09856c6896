a = {1, 2, 3, 4}
b = {3, 4, 5}
print(a | b, a & b, a - b, b - a, a ^ b)
print(a <= {1, 2, 3, 4, 5}, a < a, a >= {1}, a.isdisjoint({9}), {1} == {1.0})
