# int.to_bytes / int.from_bytes: length's __index__ and signed's __bool__ run Python code that
# allocates; the other arguments (fresh objects) must still be valid afterwards.
class I:
    def __index__(self):
        junk = [str(i) * 3 for i in range(60)]
        return len(junk) // 30

class B(int):
    def __bool__(self):
        junk = [str(i) * 3 for i in range(60)]
        return len(junk) > 0

g = 'g'
for n in range(3):
    print((258 + n).to_bytes(length=I(), byteorder='bi' + g))
    print((258 + n).to_bytes(length=I(), signed=B(1), byteorder='lit' + 'tle'))
    print(int.from_bytes(byteorder='big', signed=B(1), bytes=bytes([255, 254 - n])))
