a = b'abc'
b = b'\x00\xff\n'
c = B"quote'"
d = b''
e = b'a' b'b'
f = b'\'\"'
