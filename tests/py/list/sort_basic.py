a = [5, 2, 9, 1, 5, 6, -3]
a.sort()
print(a)
a.sort(reverse=True)
print(a)
print(sorted(["pear", "fig", "apple", "kiwi"]), sorted([3.5, 1, 2.25, -1]))
