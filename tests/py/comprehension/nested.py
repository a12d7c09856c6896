m = [[i * 3 + j for j in range(3)] for i in range(3)]
print(m, [row[i] for i, row in enumerate(m)], [x for row in m for x in row if x % 2])
print([[x * y for x in range(1, 4)] for y in range(1, 4)])
