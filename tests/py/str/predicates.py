for s in ("123", "12a", "abc", "ABC", "Abc", "", " ", "a b", "Hello World", "٣", "½", "x1_", "_id", "class", "\t\n"):
    print(repr(s), s.isdigit(), s.isdecimal(), s.isnumeric(), s.isalpha(), s.isalnum(), s.isupper(), s.islower(), s.istitle(), s.isspace(), s.isidentifier(), s.isascii(), s.isprintable())
