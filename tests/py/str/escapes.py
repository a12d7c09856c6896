print("tab\there", "new\\nline", "quote\"s", 'single\'s', "\x41\u00e9\U0001F600\101")
print(len("\n\t\\"), "\N{BULLET}" if True else "", r"raw\n\t", len(r"\n"))
print("multi\
line")
