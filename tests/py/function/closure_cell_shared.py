def make():
    fs = []
    for i in range(3):
        fs.append(lambda: i)
    i = 99
    return fs
print([f() for f in make()])
