r = range(0, 20, 3)
print(r[1:4], r[::-1], list(r[::2]), 9 in r, 10 in r, r.index(12), r.count(6))
print(range(10**20)[-1], range(10**20)[10**19], 10**19 in range(0, 10**20, 5))
