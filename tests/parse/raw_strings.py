a = r'\n\t'
b = R'\d+'
c = r"\""
d = rb'\x00'
e = Br'abc'
f = bR'\\'
