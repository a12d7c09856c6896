n = 2 ** 1000
s = str(n)
print(len(s), s[:20], s[-20:])
print(sum(int(c) for c in s))
