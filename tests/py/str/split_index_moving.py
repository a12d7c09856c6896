# str.split/rsplit: maxsplit's __index__ runs Python code that allocates; the separator (a fresh
# str) must still be valid afterwards.
class I:
    def __index__(self):
        junk = [str(i) * 3 for i in range(60)]
        return len(junk) // 60

c = ','
for n in range(3):
    print('a,,b,,c'.split(maxsplit=I(), sep=c * 2))
    print('a,,b,,c'.rsplit(maxsplit=I(), sep=c * 2))
