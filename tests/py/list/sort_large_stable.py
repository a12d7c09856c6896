import random
random.seed(7)
data = [(random.randint(0, 20), i) for i in range(500)]
s = sorted(data, key=lambda t: t[0])
print(all(s[i][0] < s[i + 1][0] or (s[i][0] == s[i + 1][0] and s[i][1] < s[i + 1][1]) for i in range(len(s) - 1)))
print(s[:5], s[-5:])
