with open("open_read_own_file.py") as f:
    lines = f.read().splitlines()
print(len(lines), lines[0])
with open("open_read_own_file.py", "rb") as f:
    print(f.read(5))
