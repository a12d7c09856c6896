x = 5
print(1 < x < 10, 1 < x > 10, x == 5 == 5.0, 1 < 2 < 3 < 4 > 2, None is None is not False)
def v(n):
    print("eval", n)
    return n
print(v(1) < v(0) < v(3))
