for s in ("plain", "it's", 'say "hi"', "both ' and \"", "tab\t", "nl\n", "\\", "\x00\x7f\x80\xff", "é☃", "\u200b", "\U0001F600", "\r"):
    print(repr(s))
