for ch in "héy":
    print(ch, ord(ch))
print(list("abc"), tuple("ab"), set("aa") == {"a"}, sorted("cba"), list(reversed("abc")))
