x = a if b else c
y = [i for i in range(10) if i % 2 == 0]
z = {k: v for k, v in zip(a, b)}
w = (yield_ := 1)
v = f(*[1, 2], **{'a': 1})
u = a[1:2][::3]
t = not not x
