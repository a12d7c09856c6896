print("hello"[1:-1], b"hello"[::2], (1, 2, 3)[::-1], bytearray(b"abc")[1:])
