a.b
a.b.c
a.b().c
a[0].b
(1).real
'x'.join(y)
