print("hello world".replace("o", "0"), "aaaa".replace("a", "b", 2), "abc".replace("", "-"))
print("abcabc".replace("bc", ""), "x".replace("x", "xx"), "banana".replace("ana", "ANA"))
