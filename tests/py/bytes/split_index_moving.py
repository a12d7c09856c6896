# bytes.split: maxsplit's __index__ runs Python code that allocates; the separator (a fresh bytes
# object) must still be valid afterwards.
class I:
    def __index__(self):
        junk = [str(i) * 3 for i in range(60)]
        return len(junk) // 60

for n in range(3):
    print(b'a,b,c'.split(maxsplit=I(), sep=bytes([44])))
    print(b'a::b::c'.split(maxsplit=I(), sep=bytes([58, 58])))
