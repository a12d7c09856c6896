a = iter(range(10))
print(list(zip(a, a)), list(zip("abc", range(100))))
