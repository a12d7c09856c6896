t = (1, [2])
try:
    t[0] = 5
except TypeError as e:
    print("TypeError:", e)
t[1].append(3)
print(t)
