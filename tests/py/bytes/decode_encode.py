s = "héllo ☃"
b = s.encode("utf-8")
print(b, len(b), b.decode("utf-8") == s, "abc".encode("ascii"), b"caf\xc3\xa9".decode())
try:
    b"\xff".decode("utf-8")
except UnicodeDecodeError as e:
    print("UnicodeDecodeError:", e)
try:
    "é".encode("ascii")
except UnicodeEncodeError as e:
    print("UnicodeEncodeError:", e)
