total = 0
for a in range(4):
    if a % 2 == 0:
        for b in range(4):
            while b > 0:
                if b == 2:
                    total += 100
                total += 1
                b -= 1
print(total)
