s = "  \t hello world \n "
print(repr(s.strip()), repr(s.lstrip()), repr(s.rstrip()))
print("xxhixx".strip("x"), "abcHIcba".strip("abc"), "www.example.com".lstrip("w."), "path///".rstrip("/"))
print(repr("".strip()), repr("   ".strip()))
print("prefix_name".removeprefix("prefix_"), "file.txt".removesuffix(".txt"), "abc".removeprefix("x"))
