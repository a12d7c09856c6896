b = b"hello"
print(b, len(b), b[0], b[-1], b[1:3], b[::-1], b + b" world", b * 2)
print(list(b"abc"), bytes([65, 66, 67]), bytes(3), bytes("é", "utf-8"), b"\x00\xff\n")
