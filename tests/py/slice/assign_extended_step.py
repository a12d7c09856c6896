a = list(range(10))
a[1::2] = [0] * 5
print(a)
a[::-3] = ["a", "b", "c", "d"]
print(a)
