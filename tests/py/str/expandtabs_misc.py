print("a\tbc\tdef".expandtabs(4), "a\tb".expandtabs(), "abc".encode(), "x".join("123"))
print("%s" % "abc".translate(str.maketrans("abc", "xyz")), "hello".translate({ord("l"): None}))
