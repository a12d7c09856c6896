d = {i: str(i) for i in range(5)}
del d[2]
print(len(d), 2 in d, 3 in d, "3" in d, d)
