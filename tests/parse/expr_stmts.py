x
1
'str'
f()
a.b
-x
not x
x if y else z
lambda: 0
[1]
...
