n = 0
while n < 3:
    n += 1
else:
    print("while done", n)
while True:
    n -= 1
    if n == 1:
        break
else:
    print("not printed")
print("n", n)
