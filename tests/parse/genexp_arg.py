f(x for x in y)
sum(i * i for i in range(10))
f((x for x in y), 1)
