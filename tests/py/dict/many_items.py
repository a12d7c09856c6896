d = {}
for i in range(1000):
    d[i * 7 % 1000] = i
print(len(d), d[0], d[7], d[999], list(d)[:5])
for i in range(0, 1000, 2):
    del d[i]
print(len(d), list(d)[:5], sum(d.values()))
