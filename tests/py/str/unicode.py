s = "héllo wörld ☃ 日本語 😀"
print(s, len(s), s[1], s[12], s[-1], s.upper())
print([ord(c) for c in "aé☃😀"], chr(233), chr(0x1F600), chr(0x65E5))
print("日本語"[::-1], "é" < "z", "😀" > "☃", len("😀".encode()), "aé".encode("utf-8"))
