print(b"abc" < b"abd", b"a" == b"a", b"a" == "a", 98 in b"abc", b"bc" in b"abc", b"" < b"\x00")
