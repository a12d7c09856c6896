print(chr(97), ord("z"), hex(255), oct(64), bin(5), hex(-1), ascii("é☃"), ascii([1, "ü"]))
