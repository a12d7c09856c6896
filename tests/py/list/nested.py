m = [[0] * 3 for _ in range(3)]
m[1][1] = 5
print(m)
bad = [[0] * 3] * 3
bad[0][0] = 9
print(bad)
m2 = [row[:] for row in m]
m2[0][0] = 1
print(m, m2)
