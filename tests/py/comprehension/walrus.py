data = [1, 5, 2, 8, 3]
print([y for x in data if (y := x * 2) > 5], y)
if (n := len(data)) > 3:
    print("long", n)
