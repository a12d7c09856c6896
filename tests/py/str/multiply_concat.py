parts = []
for i in range(5):
    parts.append(str(i) * i)
print(parts, "-" * 20, "ab" * 3 + "c")
s = ""
for i in range(10):
    s += chr(97 + i)
print(s)
