print(list(range(5)), list(range(2, 8)), list(range(10, 0, -3)), list(range(0)), list(range(5, 2)))
print(range(5), range(1, 10, 2), len(range(0, 100, 7)), range(3)[1], range(10)[-1])
