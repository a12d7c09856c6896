a = 'héllo wörld'
b = '日本語'
c = u'prefixed'
d = 'emoji 😀'
näme = 1
