for b in (b"", b"'", b'"', b"'\"", b"\t\n\r", b"\x00\x7f\x80", b"\\", bytes(range(30, 35))):
    print(repr(b))
