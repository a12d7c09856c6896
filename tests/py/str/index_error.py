s = "abc"
print(s[2], s[-3])
try:
    s[3]
except IndexError as e:
    print("IndexError:", e)
