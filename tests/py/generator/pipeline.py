def read(lines):
    for l in lines:
        yield l
def strip(it):
    for x in it:
        yield x.strip()
def nonempty(it):
    return (x for x in it if x)
print(list(nonempty(strip(read(["  a ", "", " b", "   ", "c"])))))
