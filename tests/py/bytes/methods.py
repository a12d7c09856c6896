b = b"  Hello, World  "
print(b.strip(), b.lower(), b.upper(), b.split(b","), b.replace(b"l", b"L"), b.find(b"World"), b.count(b"l"))
print(b",".join([b"a", b"b"]), b"abc".startswith(b"ab"), b"abc".endswith(b"bc"), b"a-b".partition(b"-"))
print(b"123".isdigit(), b"abc".isalpha(), b"ab".hex(), bytes.fromhex("de ad be ef"), b"x".center(5, b"*"))
