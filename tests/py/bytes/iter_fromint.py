for x in b"hi":
    print(x)
print(bytes(range(65, 70)), bytes.fromhex("41"), int.from_bytes(b"\x00\x10", "big"), b"%d-%s" % (5, b"x"))
