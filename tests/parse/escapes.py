a = '\n\t\r\\\a\b\f\v\0'
b = '\x41\x7f\x80'
c = '\u00e9\u20ac'
d = '\U0001F600'
e = '\101\60\7'
f = '\d\w'
g = 'line\
cont'
