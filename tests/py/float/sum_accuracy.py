print(sum([0.1] * 10), sum([0.1] * 10) == 1.0)
t = 0.0
for i in range(10):
    t += 0.1
print(t)
print(sum([1e100, 1.0, -1e100]))
