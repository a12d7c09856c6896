a = [1, 2]
a.append(a)
print(a)
d = {"k": a}
print(d)
