a = (x for x in y)
b = (x for x in y if x)
c = list(x for x in range(3))
