a, b = 1, 2
s = (f"a={a} "
     f"b={b} "
     "plain {not} "
     f"sum={a + b}")
print(s)
