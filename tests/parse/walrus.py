if (n := len(a)) > 10:
    pass
while (line := f()):
    print(line)
x = [y := 5, y ** 2]
print(z := 3)
